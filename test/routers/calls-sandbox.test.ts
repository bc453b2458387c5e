import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import { TwilioSandbox } from "../../effects/TwilioSandbox.js"
import type { SandboxTwilio } from "../../src/sandbox/twilio/server.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { eventually, freePort } from "../support/fake-twilio.js"

/**
 * VOICE_SANDBOX=true with no Twilio anywhere: make-call goes to the in-process sandbox, which
 * dials back into this server like Twilio — callbacks, the outbound-call TwiML, the media stream.
 */
let t: TestApp
let sandbox: SandboxTwilio
let token: string

beforeAll(async () => {
  const port = await freePort()
  t = await startTestApp({ VOICE_SANDBOX: "true", PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` })
  sandbox = (await t.app.runtime.runPromise(TwilioSandbox)).server!
  await t.createTenant("demo")
  token = (await t.createKey("demo")).token
})
afterAll(async () => t?.close())

describe("a call through the sandbox Twilio", () => {
  it("a tenant without Twilio config calls through the sandbox and the record follows the call to its end", async () => {
    sandbox.setScenario("+14155550150", { answer: "human", ringMs: 30, amdDelayMs: 10, script: [{ kind: "speak", ms: 200 }, { kind: "silence", ms: 200 }, { kind: "hangup" }] })
    const res = await t.request("/api/v1/make-call", { token, body: { to: "+14155550150" } })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toMatchObject({ ok: true, from: "+15005550006", status: "queued" })
    const sid = String(res.json.call_sid)

    const call = await sandbox.calls.get(sid)!.finished
    const statuses = call.webhooks.map((w) => [w.kind, w.params.CallStatus ?? w.params.AnsweredBy, w.status])
    expect(statuses).toContainEqual(["status_callback", "completed", 200])
    expect(call.webhooks.filter((w) => w.status !== 200)).toEqual([])
    const voice = call.webhooks.find((w) => w.kind === "voice_url")!
    expect(voice.body).toContain(`<Stream url="ws://127.0.0.1:`)
    expect(call.media?.error).toBeUndefined()

    const log = await eventually(async () => {
      const l = await t.app.runtime.runPromise(CallLogs.findByCallSid("demo", sid))
      return l?.status === "completed" && l.answered_by !== null ? l : undefined
    }, 10_000, "the call log to complete")
    expect(log).toMatchObject({ direction: "outbound", outcome: "answered", answered_by: "human", to_number: "+14155550150" })
    expect(log.ended_at).not.toBeNull()
    expect(log.duration_seconds).toBeGreaterThanOrEqual(0)
  })

  it("a no-answer ends the record as no_answer", async () => {
    sandbox.setScenario("+14155550151", { answer: "no-answer", ringMs: 10 })
    const res = await t.request("/api/v1/make-call", { token, body: { to: "+14155550151" } })
    const sid = String(res.json.call_sid)
    await sandbox.calls.get(sid)!.finished
    const log = await eventually(async () => {
      const l = await t.app.runtime.runPromise(CallLogs.findByCallSid("demo", sid))
      return l?.status === "no_answer" ? l : undefined
    })
    expect(log).toMatchObject({ outcome: "no_answer", duration_seconds: 0 })
  })
})
