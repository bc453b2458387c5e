import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { applyRollback, type GovernancePolicy, judgeVersion, overallStatus, REGRESSION_MARGIN } from "../../src/domain/rollout-governance.js"

const ids = ["v1", "v2", "v3", "v4", "v5", "v6"]
const policy: GovernancePolicy = { enabled: true, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 5, min_high_quality_rate: 0.5 }

// Any split an admin could store (sum ≤ 100), plus arbitrary ones (sum > 100) the rollback must still repair.
const split = (maxSum: number) =>
  fc.uniqueArray(fc.constantFrom(...ids), { maxLength: ids.length }).chain((vs) =>
    fc.tuple(...vs.map(() => fc.integer({ min: 0, max: 100 }))).map((ps) => vs.map((v, i) => ({ agent_version_id: v, traffic_percentage: ps[i]! })))
  ).filter((entries) => entries.reduce((s, e) => s + e.traffic_percentage, 0) <= maxSum)

describe("applyRollback", () => {
  test.prop([fc.oneof(split(100), split(600)), fc.subarray(ids), fc.option(fc.constantFrom(...ids), { nil: null })])(
    "never leaves a split over 100, never removes the published version, removes every other failing version",
    (entries, failing, published) => {
      const out = applyRollback(entries, new Set(failing), published)
      expect(out.reduce((s, e) => s + e.traffic_percentage, 0)).toBeLessThanOrEqual(100)
      if (published && entries.some((e) => e.agent_version_id === published)) expect(out.map((e) => e.agent_version_id)).toContain(published)
      for (const e of out) if (e.agent_version_id !== published) expect(failing).not.toContain(e.agent_version_id)
      // A subsequence of the input, order kept.
      const positions = out.map((e) => entries.indexOf(e))
      expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true)
    }
  )

  test.prop([split(100), fc.subarray(ids)])("on a valid split keeps every passing version with its share", (entries, failing) => {
    const out = applyRollback(entries, new Set(failing), null)
    expect(out).toEqual(entries.filter((e) => !failing.includes(e.agent_version_id)))
  })
})

describe("judgeVersion", () => {
  const stats = (eval_count: number, avg_score: number | null, high_quality_rate: number | null = 0.9) => ({ eval_count, avg_score, high_quality_rate })

  it("the published version is never judged", () => {
    expect(judgeVersion("v1", stats(0, null), policy, "v1", undefined).status).toBe("published")
  })

  it("too few evaluations is insufficient data, never a failure", () => {
    expect(judgeVersion("v2", stats(4, 0.1), policy, "v1", undefined).status).toBe("insufficient_data")
    expect(judgeVersion("v2", undefined, { ...policy, min_eval_count: 0 }, "v1", undefined).status).toBe("insufficient_data")
  })

  it("fails below the average, the high-quality rate, or the published version by more than the margin", () => {
    expect(judgeVersion("v2", stats(5, 0.69), policy, "v1", undefined)).toMatchObject({ status: "fail" })
    expect(judgeVersion("v2", stats(5, 0.9, 0.4), policy, "v1", undefined)).toMatchObject({ status: "fail" })
    expect(judgeVersion("v2", stats(5, 0.8), policy, "v1", stats(5, 0.8 + REGRESSION_MARGIN + 0.01))).toMatchObject({ status: "fail" })
    expect(judgeVersion("v2", stats(5, 0.8), policy, "v1", stats(5, 0.8 + REGRESSION_MARGIN - 0.01))).toMatchObject({ status: "pass" })
    // A published version without enough evaluations is no yardstick.
    expect(judgeVersion("v2", stats(5, 0.8), policy, "v1", stats(2, 0.99))).toMatchObject({ status: "pass" })
  })
})

describe("overallStatus", () => {
  const v = (status: "pass" | "fail" | "insufficient_data") => ({ agent_version_id: "v2", status, reasons: [] })
  it("summarizes", () => {
    expect(overallStatus(null, [], false).status).toBe("no_policy")
    expect(overallStatus(policy, [], false).status).toBe("no_rollouts")
    expect(overallStatus(policy, [v("pass")], false).status).toBe("healthy")
    expect(overallStatus(policy, [v("pass"), v("insufficient_data")], false).status).toBe("insufficient_data")
    expect(overallStatus(policy, [v("fail")], false).status).toBe("rollback_recommended")
    expect(overallStatus(policy, [v("fail")], true).status).toBe("rolled_back")
    expect(overallStatus({ ...policy, enabled: false }, [v("fail")], false).status).toBe("disabled")
  })
})
