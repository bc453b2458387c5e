import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { canonicalJson, etagOf, matchesIfMatch } from "../../src/domain/canonical-json.js"

const json = fc.jsonValue({ maxDepth: 4, stringUnit: "binary" })

// Independent oracle for plain JSON values: sorted keys, JSON.stringify for leaves.
function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(",")}]`
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(",")}}`
  }
  return JSON.stringify(v)
}

// Rebuilds every object with its keys in a seed-dependent order (integer-like keys are
// still iterated numerically by JS, which is one more ordering canonicalJson must undo).
function permute(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x) => permute(x, seed))
  if (typeof v !== "object" || v === null) return v
  const score = (k: string) => [...k].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), seed) >>> 0
  const entries = Object.entries(v).map(([k, x]) => [k, permute(x, seed)] as const)
  entries.sort((a, b) => score(a[0]) - score(b[0]))
  return Object.fromEntries(entries)
}

type Path = Array<string | number>

function leafPaths(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v) && v.length > 0) return v.flatMap((x, i) => leafPaths(x, [...prefix, i]))
  if (typeof v === "object" && v !== null && Object.keys(v).length > 0) {
    return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k]))
  }
  return [prefix]
}

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], v)
}

function setAt(v: unknown, path: Path, leaf: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return leaf
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, leaf) : x))
  const entries = Object.entries(v as object).map(([k, x]) => [k, k === head ? setAt(x, rest, leaf) : x])
  return Object.fromEntries(entries)
}

describe("canonicalJson", () => {
  test.prop([json])("matches the sorted-keys oracle and parses back to the same value", (v) => {
    const out = canonicalJson(v)
    expect(out).toBe(reference(v))
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)))
  })

  test.prop([json])("is a fixpoint: canonicalizing its own output changes nothing", (v) => {
    const out = canonicalJson(v)
    expect(canonicalJson(JSON.parse(out))).toBe(out)
  })

  test("examples", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    )
    expect(canonicalJson({ a: undefined, b: () => 1, c: [undefined, NaN, Infinity] })).toBe('{"c":[null,null,null]}')
    expect(canonicalJson({ when: new Date("2024-01-02T03:04:05.678Z") })).toBe('{"when":"2024-01-02T03:04:05.678Z"}')
    expect(canonicalJson({ "10": 1, "2": 2, a: 3 })).toBe('{"10":1,"2":2,"a":3}')
    const shared = { x: 1 }
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]')
  })

  test("rejects what JSON cannot represent", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => canonicalJson(cyclic)).toThrow(TypeError)
    expect(() => canonicalJson(undefined)).toThrow(TypeError)
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError)
  })
})

describe("etagOf", () => {
  test("known answer", () => {
    const expected = createHash("sha256").update('{"a":[1,"x"],"b":1}').digest("hex").slice(0, 32)
    expect(etagOf({ b: 1, a: [1, "x"] })).toBe(expected)
    expect(etagOf({})).toBe("44136fa355b3678a1146ad16f7e8649e")
  })

  test.prop([json])("is 32 lowercase hex characters", (v) => {
    expect(etagOf(v)).toMatch(/^[0-9a-f]{32}$/)
  })

  test.prop([json, fc.integer()])("ignores key order at every depth", (v, seed) => {
    expect(etagOf(permute(v, seed))).toBe(etagOf(v))
  })

  test.prop([json, json])("is equal exactly when the canonical documents are equal", (a, b) => {
    expect(etagOf(a) === etagOf(b)).toBe(canonicalJson(a) === canonicalJson(b))
  })

  test.prop([json, fc.nat(), json])("changes when any leaf changes", (v, pick, replacement) => {
    const paths = leafPaths(v)
    const path = paths[pick % paths.length] ?? []
    fc.pre(canonicalJson(getAt(v, path)) !== canonicalJson(replacement))
    expect(etagOf(setAt(v, path, replacement))).not.toBe(etagOf(v))
  })
})

describe("matchesIfMatch", () => {
  const hex = fc.stringMatching(/^[0-9a-f]{32}$/)
  const form = fc.constantFrom((t: string) => t, (t: string) => `"${t}"`, (t: string) => `W/"${t}"`)
  const ws = fc.constantFrom("", " ", "  ", "\t")

  test.prop([hex, form, fc.array(fc.tuple(hex, form)), fc.nat(), ws])(
    "finds the etag in any quoting form anywhere in a list",
    (etag, wrap, others, at, space) => {
      const tags = others.filter(([o]) => o !== etag).map(([o, f]) => f(o))
      tags.splice(at % (tags.length + 1), 0, wrap(etag))
      const header = tags.join(`${space},${space}`)
      expect(matchesIfMatch(header, etag)).toBe(true)
      // Callers may also hold the etag in its quoted header form.
      expect(matchesIfMatch(header, `"${etag}"`)).toBe(true)
    },
  )

  test.prop([hex, fc.array(fc.tuple(hex, form)), ws])("rejects lists without the etag", (etag, others, space) => {
    const header = others.filter(([o]) => o !== etag).map(([o, f]) => f(o)).join(`,${space}`)
    expect(matchesIfMatch(header, etag)).toBe(false)
  })

  test.prop([hex])("a bare * matches any existing etag", (etag) => {
    expect(matchesIfMatch("*", etag)).toBe(true)
    expect(matchesIfMatch(` "abc", * `, etag)).toBe(true)
  })

  test.prop([fc.string(), hex])("never throws on arbitrary headers", (header, etag) => {
    expect(typeof matchesIfMatch(header, etag)).toBe("boolean")
  })

  test("examples", () => {
    expect(matchesIfMatch(undefined, "abc")).toBe(false)
    expect(matchesIfMatch("", "abc")).toBe(false)
    expect(matchesIfMatch('"abc"', "abc")).toBe(true)
    expect(matchesIfMatch('W/"abc"', "abc")).toBe(true)
    expect(matchesIfMatch("abc", "abc")).toBe(true)
    expect(matchesIfMatch('"x,y", "abc"', "abc")).toBe(true)
    expect(matchesIfMatch('"x,abc"', "abc")).toBe(false)
    expect(matchesIfMatch('"abcd"', "abc")).toBe(false)
    expect(matchesIfMatch('"*"', "abc")).toBe(false)
    expect(matchesIfMatch("*", "")).toBe(false)
    // The current etag may be handed over in its header form too.
    expect(matchesIfMatch('"abc"', 'W/"abc"')).toBe(true)
    expect(matchesIfMatch("abc", '"abc"')).toBe(true)
  })
})
