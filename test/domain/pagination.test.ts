import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { decodeCursor, encodeCursor, parseLimit, parseOffset, type CursorKey } from "../../src/domain/pagination.js"

const MAX = 200

// Everything an HTTP edge might hand us, weighted toward near misses.
const junk = fc.oneof(
  fc.anything(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, 1.5, MAX + 1, Number.MAX_SAFE_INTEGER + 2, 1e21),
  fc.constantFrom("1e3", " 5", "5 ", "+5", "-5", "0x10", "0b1", "0o7", "5.0", "5.", ".5", "05", "00", "１", "5\n", "1_0", "Infinity", "NaN", "0"),
  fc.string({ unit: fc.constantFrom("0", "1", "5", "9", " ", "-", "+", ".", "e", "x"), maxLength: 6 }),
  fc.integer().map(String),
  fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
  fc.constantFrom(true, false, 5n, {}, { valueOf: () => 5 }, ["5"]),
)

// Oracle written independently of the implementation's regex.
function expected(raw: unknown, min: number, max: number): number | "default" | "error" {
  if (raw === undefined || raw === null || raw === "") return "default"
  let n: number | undefined
  if (typeof raw === "number") n = raw
  if (typeof raw === "string" && [...raw].every((c) => c >= "0" && c <= "9") && (raw === "0" || raw[0] !== "0")) n = Number(raw)
  return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n + 0 : "error"
}

describe("parseLimit", () => {
  test.prop([fc.integer({ min: 1, max: MAX }), fc.boolean()])("accepts 1..max as number or decimal string", (n, asString) => {
    expect(parseLimit(asString ? String(n) : n, { def: 50, max: MAX })).toEqual({ ok: true, value: n })
  })

  test.prop([junk])("never throws and matches the oracle", (raw) => {
    const result = parseLimit(raw, { def: 50, max: MAX })
    const want = expected(raw, 1, MAX)
    if (want === "error") expect(result).toEqual({ ok: false, error: "limit must be an integer between 1 and 200" })
    else expect(result).toEqual({ ok: true, value: want === "default" ? 50 : want })
  })

  test("examples", () => {
    for (const raw of [undefined, null, ""]) expect(parseLimit(raw, { def: 25, max: 100 })).toEqual({ ok: true, value: 25 })
    expect(parseLimit("100", { def: 25, max: 100 })).toEqual({ ok: true, value: 100 })
    for (const raw of [0, "0", -1, 101, "101", 2.5, "1e2", " 5", "0x10", "010", NaN, Infinity, [5], { n: 5 }, true]) {
      const r = parseLimit(raw, { def: 25, max: 100 })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toContain("limit")
    }
  })
})

describe("parseOffset", () => {
  test.prop([fc.integer({ min: 0, max: 1_000_000 }), fc.boolean()])("accepts 0..1,000,000 by default", (n, asString) => {
    expect(parseOffset(asString ? String(n) : n)).toEqual({ ok: true, value: n })
  })

  test.prop([junk, fc.integer({ min: 0, max: 5000 })])("never throws and matches the oracle", (raw, max) => {
    const result = parseOffset(raw, { max })
    const want = expected(raw, 0, max)
    if (want === "error") expect(result).toEqual({ ok: false, error: `offset must be an integer between 0 and ${max}` })
    else expect(result).toEqual({ ok: true, value: want === "default" ? 0 : want })
  })

  test("examples", () => {
    expect(parseOffset(undefined)).toEqual({ ok: true, value: 0 })
    expect(parseOffset("0")).toEqual({ ok: true, value: 0 })
    const negZero = parseOffset(-0)
    expect(negZero.ok && Object.is(negZero.value, 0)).toBe(true)
    expect(parseOffset(1_000_001).ok).toBe(false)
    expect(parseOffset("-1")).toEqual({ ok: false, error: "offset must be an integer between 0 and 1000000" })
  })
})

const timestamp = fc
  .date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((d) => d.toISOString())
const uuid = fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()))
const key: fc.Arbitrary<CursorKey> = fc.record({ t: timestamp, id: uuid })
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url")

// decode may only succeed on a string that is exactly the encoding of what it returns.
function expectOnlyExactEncodings(raw: string): void {
  const result = decodeCursor(raw)
  if (result.ok) expect(encodeCursor(result.value)).toBe(raw)
  else expect(result.error).toContain("cursor")
}

describe("cursor codec", () => {
  test.prop([key])("decode(encode(k)) == k", (k) => {
    const raw = encodeCursor(k)
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(raw.length).toBeLessThanOrEqual(512)
    expect(decodeCursor(raw)).toEqual({ ok: true, value: k })
  })

  test.prop([key, key])("distinct keys give distinct cursors", (a, b) => {
    fc.pre(a.t !== b.t || a.id !== b.id)
    expect(encodeCursor(a)).not.toBe(encodeCursor(b))
  })

  test.prop([fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: fc.constantFrom("A", "e", "y", "J", "0", "_", "-", "="), maxLength: 80 }))])(
    "never throws on arbitrary strings and accepts only exact encodings",
    expectOnlyExactEncodings,
  )

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), ch: fc.constantFrom(..."ABCDEFabcdef0123456789-_=+/ ") }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), ch: fc.constantFrom(..."Aa0-_= ") }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), ch: fc.constant("") }),
  )
  test.prop([key, fc.array(mutation, { minLength: 1, maxLength: 3 })])("mutated cursors decode only if still exact", (k, muts) => {
    let raw = encodeCursor(k)
    for (const m of muts) {
      const i = m.at % (raw.length + 1)
      raw = raw.slice(0, i) + m.ch + raw.slice(m.kind === "insert" ? i : i + 1)
    }
    expectOnlyExactEncodings(raw)
  })

  test.prop([key, fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(true))])("rejects extra keys", (k, extra) => {
    expect(decodeCursor(b64(JSON.stringify({ ...k, x: extra }))).ok).toBe(false)
  })

  test("rejects everything that is not exactly an encoding", () => {
    const t = "2024-05-06T07:08:09.123Z"
    const id = "0190f3c4-5a6b-7c8d-9e0f-a1b2c3d4e5f6"
    const good = encodeCursor({ t, id })
    expect(decodeCursor(good)).toEqual({ ok: true, value: { t, id } })
    const rejected = [
      "",
      good + "=",
      good + "A",
      Buffer.from(JSON.stringify({ t, id: id.slice(1) + "0" })).toString("base64"),
      "eyJ0Ijo+/w",
      b64("not json"),
      b64(JSON.stringify({ id, t })),
      b64(JSON.stringify({ t, id }, null, 1)),
      b64(JSON.stringify([t, id])),
      b64(JSON.stringify({ t })),
      b64(JSON.stringify({ t: Date.parse(t), id })),
      b64(JSON.stringify({ t: "2024-02-30T00:00:00.000Z", id })),
      b64(JSON.stringify({ t: "2024-05-06T07:08:09Z", id })),
      b64(JSON.stringify({ t: "2024-05-06T07:08:09.123+00:00", id })),
      b64(JSON.stringify({ t, id: "not-a-uuid" })),
      b64(JSON.stringify({ t, id: id.replace(/-/g, "") })),
      b64(JSON.stringify({ t, id })).padEnd(513, "A"),
      Buffer.from([0xff, 0xfe]).toString("base64url"),
    ]
    for (const raw of rejected) {
      const r = decodeCursor(raw)
      expect(r).toEqual({ ok: false, error: "cursor is invalid" })
    }
  })

  test("encodeCursor refuses keys it could not decode again", () => {
    expect(() => encodeCursor({ t: "yesterday", id: "0190f3c4-5a6b-7c8d-9e0f-a1b2c3d4e5f6" })).toThrow(RangeError)
    expect(() => encodeCursor({ t: "2024-05-06T07:08:09.123Z", id: "42" })).toThrow(RangeError)
  })
})
