import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import type { SandboxTwilio } from "../../src/sandbox/twilio/server.js"
import { expectErrorEnvelope } from "../http/contract.js"
import { type ApiResponse, startTestApp, type TestApp } from "../support/app.js"
import { startFakeTwilio, twilioConfig } from "../support/fake-twilio.js"

let fake: SandboxTwilio
let t: TestApp
let token: string

beforeAll(async () => {
  fake = await startFakeTwilio()
  t = await startTestApp({ TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: "https://voice.example.test" })
  await t.createTenant("acme", twilioConfig())
  await t.createTenant("bare")
  token = (await t.createKey("acme")).token
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

const start = (body: unknown, key = token) => t.request("/api/v1/voice/translation-calls", { token: key, body })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const expectFailure = (res: ApiResponse, status: number, error: RegExp) => {
  expect(res.status, res.text).toBe(status)
  expectErrorEnvelope(res, "TranslationCallResponse")
  expect(res.json.ok).toBe(false)
  expect(res.json.error).toMatch(error)
}

describe("POST /api/v1/voice/translation-calls", () => {
  it("dials both participants into one room", async () => {
    const before = fake.count("calls.create")
    const res = await start({ participant_a: "+14155550001", participant_b: "+14155550002", language_a: "en", language_b: "fr" })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toMatchObject({ ok: true, room_id: expect.stringMatching(UUID), participant_a_call_sid: expect.stringMatching(/^CA/), participant_b_call_sid: expect.stringMatching(/^CA/) })
    expect(fake.count("calls.create") - before).toBe(2)
    const [a, b] = fake.requests.filter((r) => r.operation === "calls.create").slice(-2)
    for (const [leg, r, lang, partner] of [["a", a!, "en", "fr"], ["b", b!, "fr", "en"]] as const) {
      const voice = new URL(String(r.params.Url))
      expect(Object.fromEntries(voice.searchParams)).toMatchObject({ room_id: res.json.room_id, leg, language: lang, partner_language: partner })
    }
    const log = await t.app.runtime.runPromise(CallLogs.findByCallSid("acme", String(res.json.participant_b_call_sid)))
    expect(log).toMatchObject({ direction: "outbound", to_number: "+14155550002", status: "queued" })
  })

  it("leg B refused by Twilio: 502 naming the leg, leg A placed then hung up", async () => {
    fake.injectFault({ operation: "calls.create", to: "+14155550004", status: 400, code: 21211, message: "Invalid 'To' Phone Number" })
    const updates = fake.count("calls.update")
    const res = await start({ participant_a: "+14155550003", participant_b: "+14155550004" })
    expectFailure(res, 502, /^participant_b: Twilio calls\.create failed \(HTTP 400, code 21211\)/)
    expect(res.json).toMatchObject({ room_id: expect.stringMatching(UUID), participant_a_call_sid: expect.stringMatching(/^CA/), participant_b_call_sid: null })
    const hangUp = fake.requests.filter((r) => r.operation === "calls.update").at(-1)!
    expect(fake.count("calls.update") - updates).toBe(1)
    expect(hangUp.path).toContain(String(res.json.participant_a_call_sid))
    expect(hangUp.params.Status).toBe("completed")
    const page = await t.app.runtime.runPromise(CallLogs.list("acme", { filters: { toNumber: "+14155550004" }, page: { kind: "offset", limit: 5, offset: 0 } }))
    expect(page.calls[0]).toMatchObject({ status: "failed", outcome: "failed" })
  })

  it("invalid numbers are 400, a tenant without Twilio 503, both in the TranslationCallResponse envelope", async () => {
    expectFailure(await start({ participant_a: "nope", participant_b: "+14155550002" }), 400, /participant_a must be an E\.164/)
    expectFailure(await start({ participant_a: "+14155550002", participant_b: "+14155550002" }), 400, /must be different/)
    const missing = await start({ participant_a: "+14155550002" })
    expectFailure(missing, 400, /participant_b/)
    expect(missing.json.room_id).toBe("")
    const bareKey = (await t.createKey("bare")).token
    expectFailure(await start({ participant_a: "+14155550001", participant_b: "+14155550002" }, bareKey), 503, /^Twilio not configured$/)
  })
})
