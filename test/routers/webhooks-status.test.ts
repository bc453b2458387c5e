import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import { InboundCallRecords } from "../../effects/InboundCallRecords.js"
import { StreamTokens } from "../../effects/StreamTokens.js"
import { parseTwiml, streamOf } from "../../src/sandbox/twilio/twiml.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { ACCOUNT_SID, AUTH_TOKEN, postTwilio, twilioConfig } from "../support/fake-twilio.js"

const PUBLIC = "https://voice.example.test"
const OUR_NUMBER = "+15005550006"
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ PUBLIC_BASE_URL: PUBLIC })
  await t.createTenant("acme", twilioConfig())
})
afterAll(async () => t?.close())

let n = 0
const newSid = () => `CA${String(++n).padStart(8, "0")}${"f".repeat(24)}`
const base = (callSid: string) => ({ CallSid: callSid, AccountSid: ACCOUNT_SID, From: "+14155550100", To: OUR_NUMBER, Direction: "inbound" })
const status = (callSid: string, extra: Record<string, string>, path = "/api/v1/call-status") => postTwilio(t, PUBLIC, { path, params: { ...base(callSid), ...extra }, token: AUTH_TOKEN })
// Inbound call logs are written behind the webhook: flush, then read.
const logOf = (callSid: string) => t.app.runtime.runPromise(InboundCallRecords.flush.pipe(Effect.zipRight(CallLogs.findByCallSid("acme", callSid))))
const answerCall = async (callSid: string) => {
  const res = await postTwilio(t, PUBLIC, { path: "/api/v1/incoming-call", params: { ...base(callSid), CallStatus: "ringing" }, token: AUTH_TOKEN })
  expect(res.status, res.text).toBe(200)
  return res
}
const admin = (path: string, method = "GET") => t.request(path, { method, admin: true })

describe("POST /api/v1/call-status drives the call record", () => {
  it("acknowledges with CallStatusAckResponse and moves the call forward", async () => {
    const sid = newSid()
    await answerCall(sid)
    expect(await logOf(sid)).toMatchObject({ status: "in_progress", direction: "inbound", ended_at: null })
    const res = await status(sid, { CallStatus: "completed", CallDuration: "42", Timestamp: "Wed, 15 Jan 2025 10:00:42 +0000" })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ ok: true })
    expect(await logOf(sid)).toMatchObject({ status: "completed", outcome: "answered", duration_seconds: 42, ended_at: "2025-01-15T10:00:42.000Z" })
  })

  it("late, duplicated and reordered callbacks never regress the call", async () => {
    const sid = newSid()
    await answerCall(sid)
    await status(sid, { CallStatus: "completed", CallDuration: "30" })
    const final = await logOf(sid)
    for (const extra of [{ CallStatus: "ringing" }, { CallStatus: "in-progress" }, { CallStatus: "completed", CallDuration: "30" }, { CallStatus: "queued" }] as Array<Record<string, string>>) {
      expect((await status(sid, extra)).status).toBe(200)
    }
    expect(await logOf(sid)).toMatchObject({ status: "completed", outcome: "answered", duration_seconds: 30, ended_at: final!.ended_at })
  })

  it("an asynchronous AMD verdict turns the outcome into voicemail, before or after completion", async () => {
    const before = newSid()
    await answerCall(before)
    await status(before, { AnsweredBy: "machine_end_beep" })
    await status(before, { CallStatus: "completed", CallDuration: "12" })
    const after = newSid()
    await answerCall(after)
    await status(after, { CallStatus: "completed", CallDuration: "12" })
    await status(after, { AnsweredBy: "machine_end_beep" })
    for (const sid of [before, after]) expect(await logOf(sid)).toMatchObject({ status: "completed", answered_by: "machine_end_beep", outcome: "voicemail" })
  })

  it("busy and no-answer end calls with their outcome and no duration", async () => {
    for (const [twilio, ours] of [["busy", "busy"], ["no-answer", "no_answer"]] as const) {
      const sid = newSid()
      await answerCall(sid)
      await status(sid, { CallStatus: twilio })
      expect(await logOf(sid)).toMatchObject({ status: ours, outcome: ours })
    }
  })

  it("callbacks concurrent on one call still land on the furthest state", async () => {
    const sid = newSid()
    await answerCall(sid)
    await Promise.all([
      status(sid, { CallStatus: "completed", CallDuration: "9" }),
      status(sid, { CallStatus: "in-progress" }),
      status(sid, { CallStatus: "ringing" }),
      status(sid, { AnsweredBy: "human" })
    ])
    expect(await logOf(sid)).toMatchObject({ status: "completed", answered_by: "human", outcome: "answered", duration_seconds: 9 })
  })

  it("an unsigned callback changes nothing", async () => {
    const sid = newSid()
    await answerCall(sid)
    const res = await postTwilio(t, PUBLIC, { path: "/api/v1/call-status", params: { ...base(sid), CallStatus: "completed" } })
    expect(res.status).toBe(401)
    expect((await logOf(sid))!.status).toBe("in_progress")
  })

  it("a duplicate incoming-call webhook keeps one record", async () => {
    const sid = newSid()
    await answerCall(sid)
    await answerCall(sid)
    await logOf(sid)
    const page = await t.app.runtime.runPromise(CallLogs.list("acme", { filters: { callSid: sid }, page: { kind: "offset", limit: 5, offset: 0 } }))
    expect(page.calls).toHaveLength(1)
  })
})

describe("outbound-call and the tenant hint", () => {
  it("outbound-call answers TwiML with the context make-call put in the URL", async () => {
    const hint = await t.app.runtime.runPromise(Effect.map(StreamTokens, (s) => s.tenantHint("acme")))
    const sid = newSid()
    const path = `/api/v1/outbound-call?th=${encodeURIComponent(hint)}&greeting=Hello+there&agent_name=Ava`
    const res = await postTwilio(t, PUBLIC, { path, params: { ...base(sid), From: OUR_NUMBER, To: "+14155550100", Direction: "outbound-api", CallStatus: "in-progress", AnsweredBy: "human" }, token: AUTH_TOKEN })
    expect(res.status, res.text).toBe(200)
    expect(streamOf(parseTwiml(res.text))!.parameters).toMatchObject({ tenant_id: "acme", direction: "outbound", greeting: "Hello there", agent_name: "Ava", answered_by: "human" })
    expect(await logOf(sid)).toMatchObject({ direction: "outbound", status: "in_progress", answered_by: "human" })
  })

  it("a valid hint with a bad signature is refused (no fallback)", async () => {
    const hint = await t.app.runtime.runPromise(Effect.map(StreamTokens, (s) => s.tenantHint("acme")))
    const res = await postTwilio(t, PUBLIC, { path: `/api/v1/call-status?th=${encodeURIComponent(hint)}`, params: { ...base(newSid()), CallStatus: "ringing" }, token: "wrong" })
    expect(res.status).toBe(401)
  })
})

describe("webhook diagnostics", () => {
  it("counts resolutions and exposes, clears and resets the hint cache", async () => {
    await admin("/api/v1/admin/twilio/webhook-diagnostics/counters/reset?clear_hint_cache=true", "POST")
    await answerCall(newSid()) // lookup: cache miss, signature lookup success
    await answerCall(newSid()) // cache hit
    await postTwilio(t, PUBLIC, { path: "/api/v1/call-status", params: { ...base(newSid()), CallStatus: "ringing" }, token: "wrong" }) // hit, signature mismatch, not found
    const d = await admin("/api/v1/admin/twilio/webhook-diagnostics")
    expect(d.status).toBe(200)
    expect(d.json).toMatchObject({
      ok: true,
      hint_cache: { entries: 0, max_entries: 10_000, ttl_secs: 300 },
      resolution: {
        requests_total: 3,
        successes_total: 2,
        failures_total: 1,
        hint_cache_lookups: 3,
        hint_cache_hits: 2,
        hint_cache_misses: 1,
        hint_cache_signature_mismatch: 1,
        signature_lookup_success: 1,
        signature_lookup_not_found: 1,
        explicit_token_success: 0
      }
    })
    const r = d.json.resolution as Record<string, number>
    expect(r.success_rate).toBeCloseTo(2 / 3, 3)
    expect(r.hint_cache_hit_rate).toBeCloseTo(2 / 3, 3)

    await answerCall(newSid())
    const cleared = await admin("/api/v1/admin/twilio/webhook-diagnostics/cache/clear", "POST")
    expect(cleared.json).toEqual({ ok: true, removed_entries: 1, hint_cache: { entries: 0, max_entries: 10_000, ttl_secs: 300 } })

    await answerCall(newSid())
    const reset = await admin("/api/v1/admin/twilio/webhook-diagnostics/counters/reset?clear_hint_cache=false", "POST")
    expect(reset.json).toMatchObject({ ok: true, cleared_hint_cache: false, removed_hint_cache_entries: 0, hint_cache: { entries: 1 }, resolution: { requests_total: 0, success_rate: 0 } })
  })
})
