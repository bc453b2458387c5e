import { fc, test } from "@fast-check/vitest"
import { createHash } from "node:crypto"
import { describe, expect } from "vitest"
import {
  chooseVersion,
  pickRolloutVersion,
  type ResolutionFacts,
  type RolloutShare,
  rolloutBucket,
  rolloutSetError,
  selectRolloutVersion
} from "../../src/domain/rollout.js"

const sid = fc.stringMatching(/^CA[0-9a-f]{32}$/)
const versionId = fc.uuid()

/** A valid split: distinct versions, integer percentages summing to at most 100. */
const split = fc
  .uniqueArray(versionId, { minLength: 0, maxLength: 5 })
  .chain((ids) =>
    fc.array(fc.integer({ min: 0, max: 100 }), { minLength: ids.length, maxLength: ids.length }).map((raw) => {
      let left = 100
      return ids.map((id, i) => {
        const p = Math.min(raw[i]!, left)
        left -= p
        return { agent_version_id: id, traffic_percentage: p }
      })
    })
  )

/** 10,000 call SIDs from a seeded generator (mulberry32), so a failure replays from fast-check's seed. */
const sidsFrom = (seed: number, n = 10_000): Array<string> => {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0).toString(16).padStart(8, "0")
  }
  return Array.from({ length: n }, () => `CA${next()}${next()}${next()}${next()}`)
}

describe("rolloutBucket", () => {
  test.prop([fc.string()])("is an integer 0..99 and the same for the same SID", (s) => {
    const b = rolloutBucket(s)
    expect(Number.isInteger(b) && b >= 0 && b < 100).toBe(true)
    expect(rolloutBucket(s)).toBe(b)
  })

  test("is SHA-256's first 4 bytes (big-endian) mod 100", () => {
    for (const s of ["CA00000000000000000000000000000000", "CAffffffffffffffffffffffffffffffff", ""]) {
      expect(rolloutBucket(s)).toBe(createHash("sha256").update(s).digest().readUInt32BE(0) % 100)
    }
  })
})

describe("selectRolloutVersion", () => {
  test.prop([sid, split, fc.option(versionId, { nil: null })])("is deterministic for a call SID", (s, rollouts, published) => {
    expect(selectRolloutVersion(s, rollouts, published)).toBe(selectRolloutVersion(s, rollouts, published))
  })

  test.prop([split, fc.option(versionId, { nil: null }), fc.integer()], { numRuns: 25 })(
    "over 10,000 SIDs gives each version its percentage ±2 points and the published version the rest",
    (rollouts, published, seed) => {
      const sids = sidsFrom(seed)
      const counts = new Map<string | null, number>()
      for (const s of sids) {
        const v = pickRolloutVersion(s, rollouts) ?? "(published)"
        counts.set(v, (counts.get(v) ?? 0) + 1)
      }
      const share = (k: string) => (100 * (counts.get(k) ?? 0)) / sids.length
      for (const r of rollouts) expect(Math.abs(share(r.agent_version_id) - r.traffic_percentage)).toBeLessThanOrEqual(2)
      const rest = 100 - rollouts.reduce((n, r) => n + r.traffic_percentage, 0)
      expect(Math.abs(share("(published)") - rest)).toBeLessThanOrEqual(2)
      // The remainder goes to the published version (or to none when nothing is published).
      for (const s of sids.slice(0, 200)) {
        if (pickRolloutVersion(s, rollouts) === undefined) expect(selectRolloutVersion(s, rollouts, published)).toBe(published)
      }
    }
  )

  test.prop([sid, split])("a version at 0% is never chosen; a split summing to 100 never falls to the published version", (s, rollouts) => {
    const chosen = pickRolloutVersion(s, rollouts)
    const zero = new Set(rollouts.filter((r) => r.traffic_percentage === 0).map((r) => r.agent_version_id))
    if (chosen !== undefined) expect(zero.has(chosen)).toBe(false)
    if (rollouts.reduce((n, r) => n + r.traffic_percentage, 0) === 100) expect(chosen).toBeDefined()
  })
})

describe("rolloutSetError", () => {
  const versionsOf = (rollouts: ReadonlyArray<RolloutShare>) => new Set(rollouts.map((r) => r.agent_version_id))

  test.prop([split])("accepts every valid split", (rollouts) => {
    expect(rolloutSetError(rollouts, versionsOf(rollouts))).toBeNull()
  })

  const anySums = fc
    .uniqueArray(versionId, { minLength: 1, maxLength: 6 })
    .chain((ids) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: ids.length, maxLength: ids.length }).map((ps) => ids.map((id, i) => ({ agent_version_id: id, traffic_percentage: ps[i]! }))))

  test.prop([anySums])("accepts in-range integer percentages exactly when they sum to at most 100", (rollouts) => {
    const sum = rollouts.reduce((n, r) => n + r.traffic_percentage, 0)
    const error = rolloutSetError(rollouts, versionsOf(rollouts))
    expect(error === null).toBe(sum <= 100)
    if (error !== null) expect(error).toMatch(/sum/)
  })

  test.prop([split.filter((r) => r.length > 0), fc.oneof(fc.integer({ min: 101 }), fc.integer({ max: -1 }), fc.double({ noInteger: true }))])(
    "rejects percentages that are not integers 0..100",
    (rollouts, bad) => {
      const changed = [{ ...rollouts[0]!, traffic_percentage: bad }, ...rollouts.slice(1)]
      expect(rolloutSetError(changed, versionsOf(changed))).not.toBeNull()
    }
  )

  test.prop([split.filter((r) => r.length > 0), versionId])("rejects versions of another agent and repeated versions", (rollouts, foreign) => {
    const known = versionsOf(rollouts)
    if (!known.has(foreign)) expect(rolloutSetError([...rollouts, { agent_version_id: foreign, traffic_percentage: 0 }], known)).toMatch(/not a version/)
    expect(rolloutSetError([...rollouts, { ...rollouts[0]!, traffic_percentage: 0 }], known)).toMatch(/more than once/)
  })
})

describe("chooseVersion (resolution precedence)", () => {
  const facts = fc.record({
    callSid: sid,
    explicitVersionId: fc.option(versionId, { nil: null }),
    routeVersionId: fc.option(versionId, { nil: null }),
    rollouts: split,
    publishedVersionId: fc.option(versionId, { nil: null })
  })

  /** The precedence as a table: the first present layer wins. */
  const expected = (f: ResolutionFacts) => {
    const layers = [
      ["explicit", f.explicitVersionId],
      ["route", f.routeVersionId],
      ["rollout", pickRolloutVersion(f.callSid, f.rollouts) ?? null],
      ["published", f.publishedVersionId]
    ] as const
    const hit = layers.find(([, id]) => id !== null)
    return hit ? { source: hit[0], versionId: hit[1] } : { source: "tenant_default", versionId: null }
  }

  test.prop([facts])("the first present layer wins: explicit > route > rollout > published > tenant default", (f) => {
    expect(chooseVersion(f)).toEqual(expected(f))
  })

  test.prop([facts, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })])("holds for every combination of present and absent inputs", (f, present) => {
    const [e, r, ro, p] = present
    const g: ResolutionFacts = {
      callSid: f.callSid,
      explicitVersionId: e ? (f.explicitVersionId ?? "explicit") : null,
      routeVersionId: r ? (f.routeVersionId ?? "route") : null,
      // An all-100 split makes the rollout layer certainly present.
      rollouts: ro ? [{ agent_version_id: "rolled", traffic_percentage: 100 }] : [],
      publishedVersionId: p ? (f.publishedVersionId ?? "published") : null
    }
    const got = chooseVersion(g)
    const source = e ? "explicit" : r ? "route" : ro ? "rollout" : p ? "published" : "tenant_default"
    expect(got.source).toBe(source)
    expect(got.versionId === null).toBe(source === "tenant_default")
  })

  test.prop([facts])("is deterministic and only ever returns one of its inputs", (f) => {
    const got = chooseVersion(f)
    expect(chooseVersion(f)).toEqual(got)
    const candidates = [f.explicitVersionId, f.routeVersionId, f.publishedVersionId, ...f.rollouts.map((r) => r.agent_version_id), null]
    expect(candidates).toContain(got.versionId)
  })
})
