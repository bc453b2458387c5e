import { fc } from "@fast-check/vitest"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { hoursAgo, type Query, reference, seedFixture, specs } from "../support/call-log-fixture.js"

let t: TestApp
let tokenA: string
let tokenB: string

beforeAll(async () => {
  t = await startTestApp()
  ;({ tokenA, tokenB } = await seedFixture(t))
})
afterAll(async () => t?.close())

const qs = (q: Query) =>
  Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&")

const listIds = async (q: Query, token = tokenA) => {
  const r = await t.request(`/api/v1/call-logs?${qs({ limit: 100, ...q })}`, { token })
  expect(r.status, r.text).toBe(200)
  return (r.json.calls as Array<{ id: string }>).map((c) => c.id).sort()
}

describe("GET /api/v1/call-logs filters", () => {
  const single: ReadonlyArray<Query> = [
    ...["queued", "in_progress", "completed", "failed", "escalated", "busy", "no_answer", "canceled"].map((status) => ({ status })),
    ...["answered", "voicemail", "no_answer", "busy", "failed"].map((outcome) => ({ outcome })),
    { direction: "inbound" },
    { direction: "outbound" },
    { from_number: "+15550000002" },
    { to_number: "+15559990001" },
    { escalated: true },
    { escalated: false },
    { from_date: hoursAgo(10) },
    { to_date: hoursAgo(10) },
    { from_date: hoursAgo(20), to_date: hoursAgo(5) },
    { min_duration: 200 },
    { max_duration: 100 },
    { min_duration: 100, max_duration: 250 },
    { transcript_search: "refund" },
    { transcript_search: "REFUND" },
    { transcript_search: "order status" },
    { transcript_search: "status order" },
    { transcript_search: "billing" },
    { transcript_search: "nonexistentword" },
    { call_sid: "CAfilter7" }
  ]

  it.each(single)("%j", async (q) => {
    const want = reference(q)
    // Only these two are meant to be empty; every other case must select something.
    if (q.transcript_search !== "nonexistentword" && q.transcript_search !== "status order") expect(want.length).toBeGreaterThan(0)
    expect(await listIds(q)).toEqual(want)
  })

  it("a + sent unencoded in a number filter still matches", async () => {
    const r = await t.request("/api/v1/call-logs?from_number=+15550000002&limit=100", { token: tokenA })
    expect((r.json.calls as Array<unknown>).length).toBe(reference({ from_number: "+15550000002" }).length)
  })

  it("every combination of filters answers what the reference says", async () => {
    const arb = fc.record(
      {
        status: fc.constantFrom("completed", "failed", "escalated", "queued"),
        outcome: fc.constantFrom("answered", "voicemail", "failed"),
        direction: fc.constantFrom("inbound", "outbound"),
        from_number: fc.constantFrom("+15550000000", "+15550000001"),
        to_number: fc.constantFrom("+15559990000", "+15559990002"),
        escalated: fc.boolean(),
        from_date: fc.integer({ min: 0, max: 40 }).map(hoursAgo),
        to_date: fc.integer({ min: 0, max: 40 }).map(hoursAgo),
        min_duration: fc.integer({ min: 0, max: 200 }),
        max_duration: fc.integer({ min: 200, max: 400 }),
        transcript_search: fc.constantFrom("refund", "order status", "billing", "hello"),
        call_sid: fc.constantFrom("CAfilter0", "CAfilter3")
      },
      { requiredKeys: [] }
    )
    await fc.assert(
      fc.asyncProperty(arb, async (q) => {
        if (q.from_date && q.to_date && q.from_date > q.to_date) return
        expect(await listIds(q)).toEqual(reference(q))
      }),
      { numRuns: 60 }
    )
  })

  it("answers in (created_at desc, id desc) order with compact summaries that match the contract", async () => {
    const r = await t.request("/api/v1/call-logs?status=completed&limit=100", { token: tokenA })
    expect(validatorOf("CallLogsListResponse")(r.json), JSON.stringify(validatorOf("CallLogsListResponse").errors)).toBe(true)
    const calls = r.json.calls as Array<Record<string, unknown>>
    expect(r.json.count).toBe(calls.length)
    expect(r.json.tenant).toBe("tenant-a")
    const six = calls.find((c) => c.id === specs[0]!.id)
    expect(six).toMatchObject({ transcript_length: 1, function_call_count: 1, stream_sid: "MZfilter0", outcome: "voicemail" })
    expect(six).not.toHaveProperty("transcript")
  })

  it.each([
    ["status=ringing", "status"],
    ["outcome=maybe", "outcome"],
    ["direction=up", "direction"],
    ["from_date=yesterday", "from_date"],
    ["to_date=2024-02-30T00:00:00Z", "to_date"],
    ["from_date=2024-02-02&to_date=2024-02-01", "from_date"],
    ["min_duration=-1", "min_duration"],
    ["max_duration=abc", "max_duration"],
    ["min_duration=5&max_duration=1", "min_duration"],
    ["escalated=maybe", "escalated"],
    ["limit=-1", "limit"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["offset=-3", "offset"],
    ["cursor=forged", "cursor"],
    [`cursor=${Buffer.from('{"t":"2024-01-01T00:00:00Z","id":"x"}').toString("base64url")}`, "cursor"]
  ])("?%s → 400 ErrorResponse naming %s", async (query, field) => {
    const r = await t.request(`/api/v1/call-logs?${query}`, { token: tokenA })
    expect(r.status, r.text).toBe(400)
    expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
    expect(r.json).toMatchObject({ success: false, code: "VALIDATION_ERROR" })
    expect(String(r.json.error)).toContain(field)
  })
})

describe("GET /api/v1/call-logs/{id}", () => {
  it("returns the full record with transcript and function calls", async () => {
    const s = specs[6]!
    const r = await t.request(`/api/v1/call-logs/${s.id}`, { token: tokenA })
    expect(r.status).toBe(200)
    expect(validatorOf("CallLogDetailResponse")(r.json), JSON.stringify(validatorOf("CallLogDetailResponse").errors)).toBe(true)
    const call = r.json.call as Record<string, unknown>
    expect(call).toMatchObject({ id: s.id, tenant_id: "tenant-a", call_sid: s.callSid, status: "escalated", escalated: true, direction: "inbound" })
    expect(call.transcript).toEqual([{ role: "user", content: s.text, timestamp: s.startedAt.toISOString() }])
    expect(call.function_calls).toEqual([{ name: "lookup_order", arguments: { id: 6 }, result: { ok: true }, duration_ms: 12, timestamp: s.startedAt.toISOString() }])
  })

  it("a queued call has no end yet (null, not invented)", async () => {
    const r = await t.request(`/api/v1/call-logs/${specs[9]!.id}`, { token: tokenA })
    expect(r.json.call).toMatchObject({ status: "queued", ended_at: null, stream_sid: null })
  })

  it("unknown, malformed and other tenants' ids are 404", async () => {
    for (const [id, token] of [
      ["6f1f9f5e-0000-4000-8000-000000000000", tokenA],
      ["not-a-uuid", tokenA],
      [specs[0]!.id, tokenB]
    ] as const) {
      const r = await t.request(`/api/v1/call-logs/${id}`, { token })
      expect(r.status).toBe(404)
      expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
    }
  })
})

describe("isolation", () => {
  it("tenant B lists none of tenant A's calls, whatever the filter", async () => {
    expect(await listIds({}, tokenB)).toEqual([])
    expect(await listIds({ call_sid: "CAfilter7" }, tokenB)).toEqual([])
    expect(await listIds({ transcript_search: "refund" }, tokenB)).toEqual([])
  })

  it("requires a bearer", async () => {
    const r = await t.request("/api/v1/call-logs")
    expect(r.status).toBe(401)
    expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
  })
})
