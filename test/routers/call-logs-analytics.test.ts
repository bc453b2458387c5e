import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { N, referencePercentile, seedFixture, type Spec, specs, TENANT } from "../support/call-log-fixture.js"
import { finalize } from "../support/call-records.js"

let t: TestApp
let tokenA: string
let tokenB: string

beforeAll(async () => {
  t = await startTestApp()
  ;({ tokenA, tokenB } = await seedFixture(t))
})
afterAll(async () => t?.close())

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

// Last: it changes the fixture.
describe("stats counters (call_stats_daily, kept by triggers)", () => {
  const plain = () =>
    t.app.runtime.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql<Record<string, number>>`SELECT count(*) AS total_calls, count(*) FILTER (WHERE status = 'completed') AS completed_calls,
            count(*) FILTER (WHERE escalated OR status = 'escalated') AS escalated_calls, count(*) FILTER (WHERE status = 'failed') AS failed_calls,
            count(*) FILTER (WHERE outcome = 'answered') AS answered_calls, count(*) FILTER (WHERE outcome = 'voicemail') AS voicemail_calls,
            count(*) FILTER (WHERE outcome = 'no_answer') AS no_answer_calls, count(*) FILTER (WHERE outcome = 'busy') AS busy_calls,
            count(*) FILTER (WHERE outcome = 'failed') AS failed_outcome_calls, avg(duration_seconds)::float8 AS avg_duration_seconds
          FROM call_logs WHERE tenant_id = ${TENANT}`.pipe(Effect.orDie)
      )
    ).then((rows) => rows[0]!)

  const matches = async () => {
    const want = await plain()
    const got = (await t.request("/api/v1/call-logs/stats", { token: tokenA })).json.stats as Record<string, number>
    for (const [k, v] of Object.entries(want)) expect(got[k], k).toBeCloseTo(v, 8)
  }

  it("equal a plain aggregation through inserts, upserts, updates that move days, and deletes", async () => {
    await matches()
    const s = specs[1]!
    await t.app.runtime.runPromise(CallLogs.update(TENANT, s.id, { status: "failed", outcome: "failed", duration_seconds: 999, started_at: new Date(Date.now() - 5 * 86_400_000) }))
    await matches()
    await finalize(t, TENANT, { call_sid: specs[8]!.callSid, stream_sid: "MZfilter8", status: "completed", outcome: "answered", duration_seconds: 77, escalated: true })
    await matches()
    await finalize(t, TENANT, { status: "busy", outcome: "busy", duration_seconds: null })
    await matches()
    await t.app.runtime.runPromise(CallLogs.update(TENANT, specs[2]!.id, { summary: "nothing counted changed" }))
    await t.app.runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM call_logs WHERE tenant_id = ${TENANT} AND status = 'busy'`.pipe(Effect.orDie)))
    await matches()
  })
})
