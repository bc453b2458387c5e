import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { normalizePhoneFilter, parseCallLogQuery, parseSamples } from "../../src/domain/call-log-query.js"
import { parseIsoInstant } from "../../src/domain/iso-instant.js"
import { encodeCursor } from "../../src/domain/pagination.js"

const ok = (q: Parameters<typeof parseCallLogQuery>[0]) => {
  const r = parseCallLogQuery(q)
  if (!r.ok) throw new Error(r.error)
  return r.value
}
const err = (q: Parameters<typeof parseCallLogQuery>[0]) => {
  const r = parseCallLogQuery(q)
  return r.ok ? "accepted" : r.error
}

describe("parseIsoInstant", () => {
  it.each([
    ["2024-01-15T10:30:00Z", "2024-01-15T10:30:00.000Z"],
    ["2024-01-15T10:30:00.123456Z", "2024-01-15T10:30:00.123Z"],
    ["2024-01-15T10:30Z", "2024-01-15T10:30:00.000Z"],
    ["2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00.000Z"],
    ["2024-01-15T05:00:00-05:30", "2024-01-15T10:30:00.000Z"],
    ["2024-01-15", "2024-01-15T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"]
  ])("%s → %s", (raw, iso) => {
    const r = parseIsoInstant(raw, "d")
    expect(r.ok && r.value.toISOString()).toBe(iso)
  })

  it.each(["2024-02-30", "2023-02-29", "2024-13-01", "2024-01-15T24:00:00Z", "2024-01-15T10:60:00Z", "2024-01-15T10:30:00", "yesterday", "", "1700000000", "0099-01-01", "2024-1-5"])(
    "refuses %j",
    (raw) => expect(parseIsoInstant(raw, "d").ok).toBe(false)
  )

  test.prop([fc.date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })])("round-trips every toISOString()", (d) => {
    const r = parseIsoInstant(d.toISOString(), "d")
    expect(r.ok && r.value.getTime()).toBe(d.getTime())
  })
})

describe("parseCallLogQuery", () => {
  it("defaults: no filters, first page of 50 by offset", () => {
    expect(ok({})).toEqual({ filters: {}, page: { kind: "offset", limit: 50, offset: 0 } })
  })

  it("reads every filter", () => {
    const q = ok({
      status: "completed",
      outcome: "answered",
      direction: "inbound",
      from_number: "+1 (415) 555-0100",
      to_number: " 14155550199",
      escalated: false,
      from_date: "2024-01-01",
      to_date: "2024-02-01T00:00:00Z",
      min_duration: 0,
      max_duration: 600,
      transcript_search: "  order status ",
      call_sid: "CA123",
      limit: 100,
      offset: 20
    })
    expect(q.filters).toEqual({
      status: "completed",
      outcome: "answered",
      direction: "inbound",
      fromNumber: "+14155550100",
      toNumber: "+14155550199",
      escalated: false,
      fromDate: new Date("2024-01-01T00:00:00Z"),
      toDate: new Date("2024-02-01T00:00:00Z"),
      minDuration: 0,
      maxDuration: 600,
      transcriptSearch: "order status",
      callSid: "CA123"
    })
    expect(q.page).toEqual({ kind: "offset", limit: 100, offset: 20 })
  })

  it("a cursor wins over offset", () => {
    const cursor = encodeCursor({ t: "2024-01-01T00:00:00.000Z", id: "00000000-0000-4000-8000-000000000001" })
    expect(ok({ cursor, offset: 40, limit: 10 }).page).toEqual({ kind: "cursor", limit: 10, after: { t: "2024-01-01T00:00:00.000Z", id: "00000000-0000-4000-8000-000000000001" } })
  })

  it.each([
    [{ status: "in-progress" }, "status must be one of"],
    [{ status: "COMPLETED" }, "status must be one of"],
    [{ outcome: "human" }, "outcome must be one of"],
    [{ direction: "sideways" }, "direction must be one of"],
    [{ from_date: "last tuesday" }, "from_date must be"],
    [{ to_date: "2024-02-30" }, "to_date must be"],
    [{ from_date: "2024-02-02", to_date: "2024-02-01" }, "from_date must not be after to_date"],
    [{ min_duration: -1 }, "min_duration must be"],
    [{ max_duration: -5 }, "max_duration must be"],
    [{ min_duration: 10, max_duration: 5 }, "min_duration must not exceed"],
    [{ transcript_search: "x".repeat(201) }, "transcript_search must be at most"],
    [{ limit: -1 }, "limit must be"],
    [{ limit: 0 }, "limit must be"],
    [{ limit: 101 }, "limit must be"],
    [{ offset: -1 }, "offset must be"],
    [{ cursor: "not-a-cursor" }, "cursor is invalid"],
    [{ cursor: Buffer.from('{"t":"2024-01-01T00:00:00.000Z","id":"1; DROP TABLE call_logs"}').toString("base64url") }, "cursor is invalid"]
  ])("%j → 400 (%s)", (q, message) => {
    expect(err(q)).toContain(message)
  })

  test.prop([fc.string({ maxLength: 300 })])("any cursor string is decoded or refused, never thrown", (cursor) => {
    const r = parseCallLogQuery({ cursor })
    if (r.ok && cursor !== "") expect(r.value.page.kind).toBe("cursor")
  })

  it("empty strings are absent filters", () => {
    expect(ok({ status: "", outcome: " ", transcript_search: "   ", from_date: "" }).filters).toEqual({})
  })
})

describe("normalizePhoneFilter", () => {
  it("restores a + decoded as a space and compacts human forms", () => {
    expect(normalizePhoneFilter(" 15555551234")).toBe("+15555551234")
    expect(normalizePhoneFilter("+1 555-555-1234")).toBe("+15555551234")
    expect(normalizePhoneFilter("client:alice")).toBe("client:alice")
  })
})

describe("parseSamples", () => {
  it("1..50, default 10", () => {
    expect(parseSamples(undefined)).toEqual({ ok: true, value: 10 })
    expect(parseSamples(50)).toEqual({ ok: true, value: 50 })
    for (const bad of [0, -1, 51, 1.5]) expect(parseSamples(bad).ok).toBe(false)
  })
})
