import { SqlClient } from "@effect/sql"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs, type FinalizeInput } from "../../effects/CallLogs.js"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { finalCall, finalize } from "../support/call-records.js"

let t: TestApp
let token: string
let tokenB: string

/** Calls and the resolution / billing each must produce (src/domain/voice-outcome.ts). */
const CASES: ReadonlyArray<readonly [string, Partial<FinalizeInput>, string, string | null]> = [
  ["resolved", {}, "resolved", "voice_ai_resolution"],
  ["resolved-2", { outcome_details: { primary_intent: "order_status", risk_level: "low", call_type: "sip_inbound" } }, "resolved", "voice_ai_resolution"],
  ["escalated", { escalated: true, escalation_reason: "asked for a human", outcome_details: { risk_level: "high" } }, "escalated", "voice_ai_handoff"],
  ["voicemail", { direction: "outbound", outcome: "voicemail", answered_by: "machine_end_beep" }, "voicemail", null],
  ["no-answer", { direction: "outbound", status: "no_answer", outcome: "no_answer" }, "no_answer", null],
  ["failed", { status: "failed", outcome: "failed", error_message: "model refused" }, "failed", null],
  ["abandoned", { transcript: [{ role: "assistant", content: "Hello?", timestamp: new Date().toISOString() }] }, "abandoned", null],
  ["hinted", { outcome_details: { resolution: "unresolved" } }, "unresolved", null]
]

const sqlRows = <A extends object>(q: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<A>, unknown>) =>
  t.app.runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.orDie(q(sql))))

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("out-a")
  await t.createTenant("out-b")
  token = (await t.createKey("out-a")).token
  tokenB = (await t.createKey("out-b")).token
  for (const [name, over] of CASES) await finalize(t, "out-a", { stream_sid: `MZout-${name}`, call_sid: `CAout-${name}`, ...over })
})
afterAll(async () => t?.close())

const outcomesOf = async (q: string, tok = token) => {
  const r = await t.request(`/api/v1/voice-outcomes?${q}`, { token: tok })
  expect(r.status, r.text).toBe(200)
  return r.json.outcomes as Array<Record<string, unknown>>
}

describe("outcomes written at finalization", () => {
  it.each(CASES)("%s → %s", async (name, _over, resolution, sku) => {
    const r = await t.request(`/api/v1/voice-outcomes/by-stream/MZout-${name}`, { token })
    expect(r.status).toBe(200)
    expect(validatorOf("VoiceOutcomeDetailResponse")(r.json), JSON.stringify(validatorOf("VoiceOutcomeDetailResponse").errors)).toBe(true)
    expect(r.json.outcome).toMatchObject({ resolution, billable_sku: sku, billing_status: sku ? "pending_emit" : "not_billable", outcome_source: "call_finalize", call_sid: `CAout-${name}` })
  })

  it("each outcome has exactly one billing outbox event, written with it", async () => {
    const rows = await sqlRows((sql) =>
      sql<{ stream_sid: string; billable: boolean; billable_sku: string | null; status: string; payload: { resolution: string } }>`
        SELECT o.stream_sid, b.billable, b.billable_sku, b.status, b.payload FROM voice_outcomes o
        JOIN billing_outcome_outbox b ON b.voice_outcome_id = o.id AND b.tenant_id = o.tenant_id WHERE o.tenant_id = 'out-a'`
    )
    expect(rows).toHaveLength(CASES.length)
    for (const [name, , resolution, sku] of CASES) {
      expect(rows.find((r) => r.stream_sid === `MZout-${name}`)).toMatchObject({ billable: sku !== null, billable_sku: sku, status: "pending", payload: { resolution } })
    }
  })

  it("finalizing again refreshes the outcome and its pending event, never duplicates them", async () => {
    const count = async () => (await sqlRows((sql) => sql<{ n: number }>`SELECT count(*) AS n FROM billing_outcome_outbox WHERE tenant_id = 'out-a'`))[0]!.n
    const before = await count()
    await finalize(t, "out-a", { stream_sid: "MZrefresh", call_sid: "CArefresh" })
    expect((await t.request("/api/v1/voice-outcomes/by-stream/MZrefresh", { token })).json.outcome).toMatchObject({ resolution: "resolved" })
    // Escalation is sticky across finalizations (a later write cannot un-escalate a call).
    await finalize(t, "out-a", { stream_sid: "MZrefresh", call_sid: "CArefresh", escalated: true })
    await finalize(t, "out-a", { stream_sid: "MZrefresh", call_sid: "CArefresh", escalated: false })
    const r = await t.request("/api/v1/voice-outcomes/by-stream/MZrefresh", { token })
    expect(r.json.outcome).toMatchObject({ resolution: "escalated", billable_sku: "voice_ai_handoff", escalated: true })
    expect(await count()).toBe(before + 1)
    const events = await sqlRows((sql) => sql<{ billable_sku: string }>`SELECT b.billable_sku FROM billing_outcome_outbox b
      JOIN voice_outcomes o ON o.id = b.voice_outcome_id WHERE o.tenant_id = 'out-a' AND o.stream_sid = 'MZrefresh'`)
    expect(events).toEqual([{ billable_sku: "voice_ai_handoff" }])
  })

  it("log, outcome and outbox commit together: a failure after the log is written leaves nothing", async () => {
    // A BigInt cannot be serialized: the outcome write fails after the call log upsert ran.
    const exit = await t.app.runtime.runPromiseExit(CallLogs.finalize("out-a", finalCall({ stream_sid: "MZatomic", call_sid: "CAatomic", outcome_details: { metadata: { n: 10n } } })))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(await t.app.runtime.runPromise(CallLogs.findByCallSid("out-a", "CAatomic"))).toBeUndefined()
    expect((await t.request("/api/v1/voice-outcomes/by-stream/MZatomic", { token })).status).toBe(404)
  })

  it("a call written by make-call and moved by callbacks keeps the telephony facts when finalized", async () => {
    const queued = await t.app.runtime.runPromise(CallLogs.createQueued("out-a", { call_sid: "CAmerge", direction: "outbound", from_number: "+15550000001", to_number: "+15550000002", agent_version_id: "11111111-1111-4111-8111-111111111111" }))
    expect(queued).toMatchObject({ status: "queued", stream_sid: null, ended_at: null })
    await t.app.runtime.runPromise(CallLogs.update("out-a", queued.id, { status: "completed", outcome: "answered", answered_by: "human", duration_seconds: 42 }))
    const { callLog, outcome } = await finalize(t, "out-a", { call_sid: "CAmerge", stream_sid: "MZmerge", direction: "outbound", status: "in_progress", outcome: null, duration_seconds: 40 })
    expect(callLog).toMatchObject({ id: queued.id, status: "completed", outcome: "answered", answered_by: "human", duration_seconds: 42, stream_sid: "MZmerge", agent_version_id: "11111111-1111-4111-8111-111111111111" })
    expect(callLog.transcript.length).toBeGreaterThan(0)
    expect(outcome).toMatchObject({ call_log_id: queued.id, resolution: "resolved", customer_phone: "+15550000002" })
  })

  it("update refuses unknown statuses and ids", async () => {
    const exit = await t.app.runtime.runPromiseExit(CallLogs.update("out-a", "00000000-0000-4000-8000-000000000000", { status: "completed" }))
    expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("NotFound")
  })
})

describe("GET /api/v1/voice-outcomes", () => {
  it.each([
    ["resolution=voicemail", ["MZout-voicemail"]],
    ["billing_status=pending_emit", ["MZout-resolved", "MZout-resolved-2", "MZout-escalated", "MZmerge", "MZrefresh"]],
    ["billable_sku=voice_ai_handoff", ["MZout-escalated", "MZrefresh"]],
    ["call_type=sip_inbound", ["MZout-resolved-2"]],
    ["call_type=outbound&resolution=no_answer", ["MZout-no-answer"]]
  ])("?%s", async (q, want) => {
    const got = (await outcomesOf(`${q}&limit=200`)).map((o) => o.stream_sid)
    expect([...got].sort()).toEqual([...want].sort())
  })

  it("pages newest first", async () => {
    const all = await outcomesOf("limit=200")
    const occurred = all.map((o) => Date.parse(String(o.occurred_at)))
    expect([...occurred].sort((a, b) => b - a)).toEqual(occurred)
    expect((await outcomesOf("limit=2&offset=1")).map((o) => o.id)).toEqual(all.slice(1, 3).map((o) => o.id))
  })

  it.each(["resolution=great", "billing_status=paid", "limit=0", "limit=201", "offset=-1"])("?%s → 400", async (q) => {
    expect((await t.request(`/api/v1/voice-outcomes?${q}`, { token })).status).toBe(400)
  })
})

describe("GET /api/v1/voice-outcomes/{id}", () => {
  it("by id; malformed id → 400; unknown or another tenant's → 404", async () => {
    const [first] = await outcomesOf("limit=1")
    const ok = await t.request(`/api/v1/voice-outcomes/${String(first!.id)}`, { token })
    expect(ok.status).toBe(200)
    expect(ok.json.outcome).toEqual(first)
    expect((await t.request("/api/v1/voice-outcomes/12345", { token })).status).toBe(400)
    expect((await t.request("/api/v1/voice-outcomes/00000000-0000-4000-8000-000000000000", { token })).status).toBe(404)
    expect((await t.request(`/api/v1/voice-outcomes/${String(first!.id)}`, { token: tokenB })).status).toBe(404)
    expect((await t.request("/api/v1/voice-outcomes/by-stream/MZout-failed", { token: tokenB })).status).toBe(404)
    expect(await outcomesOf("limit=200", tokenB)).toEqual([])
  })
})

describe("stats and timeseries", () => {
  it("stats equal the counts of the outcomes listed", async () => {
    const all = await outcomesOf("limit=200")
    const r = await t.request("/api/v1/voice-outcomes/stats?window=all", { token })
    expect(r.status).toBe(200)
    expect(validatorOf("VoiceOutcomeStatsResponse")(r.json), JSON.stringify(validatorOf("VoiceOutcomeStatsResponse").errors)).toBe(true)
    const s = r.json.stats as Record<string, unknown>
    const count = (f: (o: Record<string, unknown>) => boolean) => all.filter(f).length
    expect(s).toMatchObject({
      total: all.length,
      billable: count((o) => o.billable_sku !== null),
      not_billable: count((o) => o.billing_status === "not_billable"),
      pending_emit: count((o) => o.billing_status === "pending_emit"),
      emitted: 0,
      failed_billing: 0,
      escalated: count((o) => o.escalated === true)
    })
    const mix = (key: string, fallback: string) => {
      const m = new Map<string, number>()
      for (const o of all) m.set(String(o[key] ?? fallback), (m.get(String(o[key] ?? fallback)) ?? 0) + 1)
      return Object.fromEntries(m)
    }
    const asMap = (xs: unknown) => Object.fromEntries((xs as Array<{ name: string; count: number }>).map((x) => [x.name, x.count]))
    expect(asMap(s.resolution_mix)).toEqual(mix("resolution", ""))
    expect(asMap(s.billing_status_mix)).toEqual(mix("billing_status", ""))
    expect(asMap(s.sku_mix)).toEqual(mix("billable_sku", "none"))
    expect(asMap(s.risk_mix)).toEqual(mix("risk_level", "unknown"))
  })

  it("timeseries: hourly for 24h with every bucket present, daily for 7d", async () => {
    const all = await outcomesOf("limit=200")
    const hourly = await t.request("/api/v1/voice-outcomes/timeseries", { token })
    expect(validatorOf("VoiceOutcomeTimeseriesResponse")(hourly.json)).toBe(true)
    const h = hourly.json.timeseries as { bucket: string; window: string; points: Array<{ total: number; billable: number }> }
    expect(h).toMatchObject({ bucket: "hour", window: "24h" })
    expect(h.points).toHaveLength(25)
    expect(h.points.reduce((a, p) => a + p.total, 0)).toBe(all.length)
    const daily = (await t.request("/api/v1/voice-outcomes/timeseries?window=7d", { token })).json.timeseries as { bucket: string; points: Array<{ billable: number }> }
    expect(daily.bucket).toBe("day")
    expect(daily.points.length).toBeGreaterThanOrEqual(7)
    expect(daily.points.reduce((a, p) => a + p.billable, 0)).toBe(all.filter((o) => o.billable_sku !== null).length)
  })

  it.each(["stats?window=1y", "timeseries?bucket=minute", "timeseries?window=forever"])("%s → 400", async (q) => {
    expect((await t.request(`/api/v1/voice-outcomes/${q}`, { token })).status).toBe(400)
  })
})
