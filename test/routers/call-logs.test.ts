import { fc } from "@fast-check/vitest"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import type { CallOutcome, CallStatus } from "../../src/domain/call-log-query.js"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { finalCall } from "../support/call-records.js"

/**
 * One tenant, 40 calls whose every attribute is a function of their index, so each filter's
 * answer is computed here from the same table (the reference) and compared with the API's.
 */
interface Spec {
  readonly i: number
  id: string
  readonly status: CallStatus
  readonly outcome: CallOutcome | null
  readonly direction: "inbound" | "outbound"
  readonly from: string
  readonly to: string
  readonly escalated: boolean
  readonly startedAt: Date
  readonly duration: number | null
  readonly text: string
  readonly callSid: string
  readonly latency: { p50: number; p95: number; p99: number; avg: number; max: number; e2e: number } | null
}

const N = 40
const NOW = Date.now()
const STATUSES: ReadonlyArray<CallStatus> = ["completed", "completed", "failed", "busy", "no_answer", "canceled", "escalated", "completed", "in_progress", "queued"]
const OUTCOME: Record<CallStatus, CallOutcome | null> = {
  completed: "answered",
  failed: "failed",
  busy: "busy",
  no_answer: "no_answer",
  canceled: null,
  escalated: "answered",
  in_progress: null,
  queued: null
}

const specOf = (i: number): Spec => {
  const status = STATUSES[i % STATUSES.length]!
  const live = status === "queued" || status === "in_progress"
  const words = ["Hello, thanks for calling."]
  if (i % 3 === 0) words.push("I need a REFUND for my last purchase.")
  if (i % 4 === 1) words.push("What is my order status today?")
  if (i % 5 === 0) words.push("Billing question.")
  return {
    i,
    id: "",
    status,
    outcome: status === "completed" && i % 3 === 0 ? "voicemail" : OUTCOME[status],
    direction: i % 2 === 0 ? "inbound" : "outbound",
    from: `+1555000000${i % 4}`,
    to: `+1555999000${i % 3}`,
    escalated: status === "escalated" || i % 7 === 0,
    startedAt: new Date(NOW - 30 * 60_000 - i * 3_600_000),
    duration: live ? null : (i * 37) % 400,
    text: words.join(" "),
    callSid: `CAfilter${i}`,
    latency: live || status === "canceled" ? null : { p50: 200 + i * 3, p95: 400 + ((i * 53) % 300), p99: 700 + ((i * 71) % 500), avg: 250 + i, max: 900 + i, e2e: 600 + ((i * 29) % 400) }
  }
}

let t: TestApp
let tokenA: string
let tokenB: string
const specs: Array<Spec> = Array.from({ length: N }, (_, i) => specOf(i))

const seed = async (s: Spec) => {
  if (s.status === "queued" || s.status === "in_progress") {
    const row = await t.app.runtime.runPromise(CallLogs.createQueued("tenant-a", { call_sid: s.callSid, direction: s.direction, from_number: s.from, to_number: s.to }))
    const patch = s.status === "in_progress" ? { status: s.status, stream_sid: `MZfilter${s.i}` } : {}
    await t.app.runtime.runPromise(CallLogs.update("tenant-a", row.id, { ...patch, started_at: s.startedAt, escalated: s.escalated }))
    s.id = row.id
    return
  }
  const l = s.latency
  const { callLog } = await t.app.runtime.runPromise(
    CallLogs.finalize(
      "tenant-a",
      finalCall({
        call_sid: s.callSid,
        stream_sid: `MZfilter${s.i}`,
        direction: s.direction,
        status: s.status,
        outcome: s.outcome,
        from_number: s.from,
        to_number: s.to,
        escalated: s.escalated,
        started_at: s.startedAt,
        ended_at: new Date(s.startedAt.getTime() + (s.duration ?? 0) * 1000),
        duration_seconds: s.duration,
        transcript: [{ role: "user", content: s.text, timestamp: s.startedAt.toISOString() }],
        function_calls: s.i % 6 === 0 ? [{ name: "lookup_order", arguments: { id: s.i }, result: { ok: true }, duration_ms: 12, timestamp: s.startedAt.toISOString() }] : [],
        latency: l
          ? {
              turns: 1 + (s.i % 5),
              llm_first_token: { avg_ms: l.avg, p50_ms: l.p50, p95_ms: l.p95, p99_ms: l.p99, max_ms: l.max },
              e2e_first_audio: { avg_ms: l.e2e, p50_ms: l.e2e, p95_ms: l.e2e + 50, p99_ms: l.e2e + 90, max_ms: l.e2e + 100 }
            }
          : null
      })
    )
  )
  s.id = callLog.id
}

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("tenant-a")
  await t.createTenant("tenant-b")
  tokenA = (await t.createKey("tenant-a")).token
  tokenB = (await t.createKey("tenant-b")).token
  for (const s of specs) await seed(s)
})
afterAll(async () => t?.close())

type Query = Record<string, string | number | boolean | undefined>
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

const hasWords = (text: string, phrase: string) => new RegExp(`\\b${phrase.split(/\s+/).join("\\W+")}\\b`, "i").test(text)

/** The reference semantics of every filter, over the seeded table. */
const reference = (q: Query) =>
  specs
    .filter((s) => q.status === undefined || s.status === q.status)
    .filter((s) => q.outcome === undefined || s.outcome === q.outcome)
    .filter((s) => q.direction === undefined || s.direction === q.direction)
    .filter((s) => q.from_number === undefined || s.from === q.from_number)
    .filter((s) => q.to_number === undefined || s.to === q.to_number)
    .filter((s) => q.escalated === undefined || s.escalated === q.escalated)
    .filter((s) => q.from_date === undefined || s.startedAt.getTime() >= new Date(String(q.from_date)).getTime())
    .filter((s) => q.to_date === undefined || s.startedAt.getTime() < new Date(String(q.to_date)).getTime())
    .filter((s) => q.min_duration === undefined || (s.duration !== null && s.duration >= Number(q.min_duration)))
    .filter((s) => q.max_duration === undefined || (s.duration !== null && s.duration <= Number(q.max_duration)))
    .filter((s) => q.transcript_search === undefined || (s.status !== "queued" && s.status !== "in_progress" && hasWords(s.text, String(q.transcript_search))))
    .filter((s) => q.call_sid === undefined || s.callSid === q.call_sid)
    .map((s) => s.id)
    .sort()

const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString()

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

const referencePercentile = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * p
  const lo = Math.floor(pos)
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo)
}

describe("GET /api/v1/call-logs/stats", () => {
  it("counts and rates equal the reference computed from the seeded table", async () => {
    const r = await t.request("/api/v1/call-logs/stats", { token: tokenA })
    expect(r.status).toBe(200)
    expect(validatorOf("CallStatsResponse")(r.json), JSON.stringify(validatorOf("CallStatsResponse").errors)).toBe(true)
    const count = (f: (s: Spec) => boolean) => specs.filter(f).length
    const withOutcome = count((s) => s.outcome !== null)
    const durations = specs.flatMap((s) => (s.duration === null ? [] : [s.duration]))
    const stats = r.json.stats as Record<string, number>
    expect(stats).toMatchObject({
      total_calls: N,
      completed_calls: count((s) => s.status === "completed"),
      escalated_calls: count((s) => s.escalated || s.status === "escalated"),
      failed_calls: count((s) => s.status === "failed"),
      answered_calls: count((s) => s.outcome === "answered"),
      voicemail_calls: count((s) => s.outcome === "voicemail"),
      no_answer_calls: count((s) => s.outcome === "no_answer"),
      busy_calls: count((s) => s.outcome === "busy"),
      failed_outcome_calls: count((s) => s.outcome === "failed"),
      calls_last_24h: count((s) => s.startedAt.getTime() >= Date.now() - 24 * 3_600_000)
    })
    expect(stats.answer_rate).toBeCloseTo(count((s) => s.outcome === "answered") / withOutcome, 10)
    expect(stats.completion_rate).toBeCloseTo(count((s) => s.status === "completed") / N, 10)
    expect(stats.escalation_rate).toBeCloseTo(count((s) => s.escalated || s.status === "escalated") / N, 10)
    expect(stats.avg_duration_seconds).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / durations.length, 8)
  })

  it("another tenant's stats are its own (empty)", async () => {
    const r = await t.request("/api/v1/call-logs/stats", { token: tokenB })
    expect(r.json.stats).toMatchObject({ total_calls: 0, answer_rate: null, avg_duration_seconds: null })
  })
})

describe("GET /api/v1/call-logs/latency", () => {
  const inWindow = (hours: number | null) => specs.filter((s) => s.latency && (hours === null || s.startedAt.getTime() >= Date.now() - hours * 3_600_000))

  it.each([
    ["24h", 24],
    ["7d", 24 * 7],
    ["all", null]
  ] as const)("window %s: percentiles of the per-call summaries equal the reference", async (window, hours) => {
    const r = await t.request(`/api/v1/call-logs/latency?window=${window}&samples=5`, { token: tokenA })
    expect(r.status, r.text).toBe(200)
    expect(validatorOf("CallLatencyResponse")(r.json), JSON.stringify(validatorOf("CallLatencyResponse").errors)).toBe(true)
    const rows = inWindow(hours)
    const l = rows.map((s) => s.latency!)
    const stats = r.json.stats as Record<string, number>
    expect(stats.window).toBe(window)
    expect(stats.call_sample_count).toBe(rows.length)
    expect(stats.turn_sample_count).toBe(rows.reduce((a, s) => a + 1 + (s.i % 5), 0))
    expect(stats.avg_llm_first_token_ms).toBeCloseTo(l.reduce((a, x) => a + x.avg, 0) / l.length, 8)
    expect(stats.p50_llm_first_token_ms).toBeCloseTo(referencePercentile(l.map((x) => x.p50), 0.5)!, 8)
    expect(stats.p95_llm_first_token_ms).toBeCloseTo(referencePercentile(l.map((x) => x.p95), 0.95)!, 8)
    expect(stats.p99_llm_first_token_ms).toBeCloseTo(referencePercentile(l.map((x) => x.p99), 0.99)!, 8)
    expect(stats.max_llm_first_token_ms).toBe(Math.max(...l.map((x) => x.max)))
    expect(stats.p95_e2e_first_audio_ms).toBeCloseTo(referencePercentile(l.map((x) => x.e2e + 50), 0.95)!, 8)

    const slowest = r.json.slowest as Array<{ id: string; e2e_p95_ms: number }>
    const wantSlow = [...rows].sort((a, b) => b.latency!.e2e - a.latency!.e2e || b.latency!.p95 - a.latency!.p95).slice(0, 5)
    expect(slowest.map((s) => s.e2e_p95_ms)).toEqual(wantSlow.map((s) => s.latency!.e2e + 50))

    const ts = r.json.timeseries as { bucket: string; points: Array<{ call_count: number }> }
    expect(ts.bucket).toBe(window === "24h" ? "hour" : "day")
    expect(ts.points.reduce((a, p) => a + p.call_count, 0)).toBe(rows.length)
    if (window === "24h") expect(ts.points).toHaveLength(25)
  })

  it.each(["window=1y", "samples=0", "samples=51", "samples=-2"])("?%s → 400", async (q) => {
    const r = await t.request(`/api/v1/call-logs/latency?${q}`, { token: tokenA })
    expect(r.status).toBe(400)
    expect(r.json.code).toBe("VALIDATION_ERROR")
  })

  it("another tenant sees no samples", async () => {
    const r = await t.request("/api/v1/call-logs/latency?window=all", { token: tokenB })
    expect(r.json.stats).toMatchObject({ call_sample_count: 0, turn_sample_count: 0, p95_llm_first_token_ms: null })
    expect(r.json.slowest).toEqual([])
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
