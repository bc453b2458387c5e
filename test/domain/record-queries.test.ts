import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { normalizeScore } from "../../src/domain/eval-score.js"
import { parseEvalQuery, parseOutcomeQuery, parseSessionQuery } from "../../src/domain/record-queries.js"
import { bucketRange, bucketStart, fillSeries, MAX_FILLED_BUCKETS, parseBucket, parseWindow, windowStart } from "../../src/domain/time-window.js"

describe("normalizeScore", () => {
  test.prop([fc.double({ min: 0, max: 100, noNaN: true })])("lands on 0..1", (x) => {
    const r = normalizeScore(x)
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value).toBe(x <= 1 ? x : x / 100)
  })
  it("refuses out of range", () => {
    for (const x of [-0.1, 100.5, NaN, Infinity]) expect(normalizeScore(x).ok).toBe(false)
  })
})

describe("list queries", () => {
  it("sessions", () => {
    expect(parseSessionQuery({})).toEqual({ ok: true, value: { sort: "desc", page: { limit: 50, offset: 0 } } })
    expect(parseSessionQuery({ search: "+1 (555) 123", sort: "ASC", limit: 200 })).toEqual({
      ok: true,
      value: { search: { kind: "phone", digits: "1555123" }, sort: "asc", page: { limit: 200, offset: 0 } }
    })
    expect(parseSessionQuery({ search: "order 12345" }).ok && parseSessionQuery({ search: "order 12345" })).toMatchObject({ value: { search: { kind: "text", text: "order 12345" } } })
    for (const bad of [{ status: "done" }, { sort: "up" }, { limit: 201 }, { started_after: "soon" }, { offset: -1 }]) expect(parseSessionQuery(bad).ok).toBe(false)
  })

  it("outcomes", () => {
    expect(parseOutcomeQuery({ resolution: "resolved", billing_status: "pending_emit", billable_sku: "x", call_type: "inbound" })).toEqual({
      ok: true,
      value: { resolution: "resolved", billingStatus: "pending_emit", billableSku: "x", callType: "inbound", page: { limit: 50, offset: 0 } }
    })
    expect(parseOutcomeQuery({ resolution: "great" }).ok).toBe(false)
    expect(parseOutcomeQuery({ billing_status: "paid" }).ok).toBe(false)
  })

  it("evals read score filters like recorded scores", () => {
    expect(parseEvalQuery({ min_score: 80, max_score: 0.95, tag: " vip " })).toEqual({ ok: true, value: { minScore: 0.8, maxScore: 0.95, tag: "vip", page: { limit: 50, offset: 0 } } })
    expect(parseEvalQuery({ min_score: 0.9, max_score: 0.5 }).ok).toBe(false)
    expect(parseEvalQuery({ min_score: 101 }).ok).toBe(false)
  })
})

describe("time windows", () => {
  const now = new Date("2024-03-10T12:34:56.789Z")
  it("parses and bounds windows", () => {
    expect(parseWindow(undefined, "24h")).toEqual({ ok: true, value: "24h" })
    expect(parseWindow("1y", "24h").ok).toBe(false)
    expect(parseBucket(undefined, "24h")).toEqual({ ok: true, value: "hour" })
    expect(parseBucket(undefined, "7d")).toEqual({ ok: true, value: "day" })
    expect(parseBucket("minute", "7d").ok).toBe(false)
    expect(windowStart("7d", now)).toEqual(new Date("2024-03-03T12:34:56.789Z"))
    expect(windowStart("all", now)).toBeNull()
  })

  it("fills every bucket of the range, rows in place", () => {
    const range = bucketRange(windowStart("24h", now)!, now, "hour")
    expect(range).toHaveLength(25)
    expect(range[0]).toEqual(new Date("2024-03-09T12:00:00Z"))
    const row = { bucket_start: new Date("2024-03-10T03:00:00Z"), point: { n: 7 } }
    const series = fillSeries(range, [row], () => ({ n: 0 }))
    expect(series).toHaveLength(25)
    expect(series.filter((p) => p.n === 7)).toHaveLength(1)
    expect(bucketStart(now, "day")).toEqual(new Date("2024-03-10T00:00:00Z"))
  })

  it("gives up filling beyond the cap and returns the rows in order", () => {
    expect(bucketRange(new Date("2000-01-01"), now, "hour")).toHaveLength(0)
    expect(bucketRange(new Date(now.getTime() - (MAX_FILLED_BUCKETS - 1) * 3_600_000), now, "hour")).toHaveLength(MAX_FILLED_BUCKETS)
    const rows = [2, 1].map((d) => ({ bucket_start: new Date(Date.UTC(2024, 0, d)), point: d }))
    expect(fillSeries([], rows, () => 0)).toEqual([1, 2])
  })
})
