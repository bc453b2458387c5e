import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import type { SandboxTwilio } from "../../src/sandbox/twilio/server.js"
import { expectErrorEnvelope, expectTenantError } from "../http/contract.js"
import { type ApiResponse, startTestApp, type TestApp } from "../support/app.js"
import { eventually, startFakeTwilio, twilioConfig } from "../support/fake-twilio.js"

const PUBLIC = "https://voice.example.test"
let fake: SandboxTwilio
let t: TestApp
let token: string
let bareToken: string

beforeAll(async () => {
  fake = await startFakeTwilio()
  // pglite-socket interleaves concurrent extended-protocol batches of different connections
  // (electric-sql/pglite#1046): the 50-request race needs a single connection on the embedded database.
  const embedded = process.env.DATABASE_URL ? {} : { DB_POOL_SIZE: "1" }
  t = await startTestApp({ TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: PUBLIC, TWILIO_REQUEST_TIMEOUT_MS: "700", ...embedded })
  await t.createTenant("acme", { ...twilioConfig(), dnc_numbers: ["+15550000999"] })
  await t.createTenant("bare")
  token = (await t.createKey("acme")).token
  bareToken = (await t.createKey("bare")).token
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

const makeCall = (body: unknown, headers: Record<string, string> = {}, key = token) => t.request("/api/v1/make-call", { token: key, body, headers })
const creates = () => fake.count("calls.create")
const logOf = (callSid: string) => t.app.runtime.runPromise(CallLogs.findByCallSid("acme", callSid))
const lastCreate = () => fake.requests.filter((r) => r.operation === "calls.create").at(-1)!

const expectMakeCallError = (res: ApiResponse, status: number, error: RegExp) => {
  expect(res.status, res.text).toBe(status)
  expectErrorEnvelope(res, "MakeCallResponse")
  expect(res.json.ok).toBe(false)
  expect(res.json.error).toMatch(error)
}

describe("POST /api/v1/make-call", () => {
  it("places the call through Twilio and answers the contract's MakeCallResponse", async () => {
    const before = creates()
    const res = await makeCall({ to: "+1 (415) 555-0100", greeting: "Hi from Acme" })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ ok: true, call_sid: expect.stringMatching(/^CA[0-9a-f]{32}$/), status: "queued", to: "+14155550100", from: "+15005550006" })
    expect(creates()).toBe(before + 1)

    const sent = lastCreate().params
    expect(sent.To).toBe("+14155550100")
    expect(sent.From).toBe("+15005550006")
    expect(sent.Url).toMatch(new RegExp(`^${PUBLIC}/api/v1/outbound-call\\?th=[^&]+&call_log_id=[0-9a-f-]{36}`))
    expect(sent.Url).toContain("greeting=Hi+from+Acme")
    expect(sent.StatusCallback).toMatch(new RegExp(`^${PUBLIC}/api/v1/call-status\\?th=`))
    expect(sent.StatusCallbackEvent).toEqual(["initiated", "ringing", "answered", "completed"])
    expect(sent).toMatchObject({ MachineDetection: "DetectMessageEnd", AsyncAmd: "true", AsyncAmdStatusCallback: sent.StatusCallback })

    const log = await logOf(String(res.json.call_sid))
    expect(log).toMatchObject({ direction: "outbound", status: "queued", to_number: "+14155550100", from_number: "+15005550006" })
    expect(String(sent.Url)).toContain(`call_log_id=${log!.id}`)
  })

  it("rejects a destination that is not E.164 with a 400 naming it", async () => {
    const before = creates()
    expectMakeCallError(await makeCall({ to: "555-0100" }), 400, /to must be an E\.164 phone number.*555-0100/)
    expectMakeCallError(await makeCall({ from: "+14155550100" }), 400, /to/)
    expectMakeCallError(await makeCall({ to: "+14155550100", from: "nope" }), 400, /from must be an E\.164/)
    expect(creates()).toBe(before)
  })

  it("answers 503 in the MakeCallResponse envelope when the tenant has no Twilio", async () => {
    const res = await makeCall({ to: "+14155550100" }, {}, bareToken)
    expectMakeCallError(res, 503, /^Twilio not configured$/)
    expect(res.json).toMatchObject({ call_sid: null, status: null })
  })

  it("refuses numbers on the tenant's do-not-call list and calls outside calling hours", async () => {
    const before = creates()
    const dnc = await makeCall({ to: "+15550000999" })
    expectMakeCallError(dnc, 400, /do-not-call/)
    expect(dnc.json.to).toBe("+15550000999")

    await t.createTenant("night", { ...twilioConfig(), calling_hours: { timezone: "UTC", start: "00:00", end: "00:01", days: ["sun"] } })
    const nightKey = (await t.createKey("night")).token
    expectMakeCallError(await makeCall({ to: "+14155550100" }, {}, nightKey), 400, /outside the tenant's calling hours/)
    expect(creates()).toBe(before)
  })

  it("needs a bearer key (401 in ErrorResponse: the contract documents MakeCallResponse only for 400/500/503)", async () => {
    expectTenantError(await t.request("/api/v1/make-call", { body: { to: "+14155550100" } }), 401, "UNAUTHORIZED")
  })
})

describe("Idempotency-Key", () => {
  it("50 concurrent requests with one key place exactly one call and get 50 identical answers", async () => {
    const before = creates()
    const body = { to: "+14155550123", agent_name: "Ava" }
    const answers = await Promise.all(Array.from({ length: 50 }, () => makeCall(body, { "idempotency-key": "order-4711" })))
    expect(creates() - before).toBe(1)
    for (const a of answers) {
      expect(a.status, a.text).toBe(200)
      expect(a.json).toEqual(answers[0]!.json)
    }
    // Later, the same key and body is still the same call.
    const again = await makeCall(body, { "idempotency-key": "order-4711" })
    expect(again.json).toEqual(answers[0]!.json)
    expect(creates() - before).toBe(1)
  })

  it.skipIf(!process.env.DATABASE_URL)("two instances racing on one key still place one call (the database decides)", async () => {
    const second = await startTestApp({ TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: PUBLIC }, t.db)
    try {
      const before = creates()
      const body = { to: "+14155550127" }
      const send = (app: TestApp) => app.request("/api/v1/make-call", { token, body, headers: { "idempotency-key": "two-instances" } })
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? t : second)))
      expect(creates() - before).toBe(1)
      for (const a of answers) expect(a.json).toEqual(answers[0]!.json)
      expect(answers[0]!.status).toBe(200)
    } finally {
      await second.close()
    }
  })

  it("the same key with another body is a 409; another key is another call", async () => {
    const first = await makeCall({ to: "+14155550124" }, { "idempotency-key": "k-409" })
    expect(first.status).toBe(200)
    const conflict = await makeCall({ to: "+14155550125" }, { "idempotency-key": "k-409" })
    expectTenantError(conflict, 409, "CONFLICT")
    expect(conflict.json.error).toMatch(/different request body/)
    const other = await makeCall({ to: "+14155550124" }, { "idempotency-key": "k-other" })
    expect(other.json.call_sid).not.toBe(first.json.call_sid)
  })

  it("a refused request does not use up its key", async () => {
    expectMakeCallError(await makeCall({ to: "+15550000999" }, { "idempotency-key": "k-dnc" }), 400, /do-not-call/)
    const ok = await makeCall({ to: "+14155550126" }, { "idempotency-key": "k-dnc" })
    expect(ok.status, ok.text).toBe(200)
  })
})

describe("Twilio faults", () => {
  it("429 then 200: retried (Twilio created nothing), one call placed", async () => {
    fake.injectFault({ operation: "calls.create", status: 429, code: 20429, message: "Too Many Requests" })
    const before = creates()
    const res = await makeCall({ to: "+14155550130" })
    expect(res.status, res.text).toBe(200)
    expect(creates() - before).toBe(2)
    expect(fake.requests.filter((r) => r.operation === "calls.create").slice(-2).map((r) => r.status)).toEqual([429, 201])
    expect(await logOf(String(res.json.call_sid))).toMatchObject({ status: "queued", error_message: null })
  })

  it("500: not retried, 500 MakeCallResponse, the record says the call may exist", async () => {
    fake.injectFault({ operation: "calls.create", status: 500, code: 20500, message: "Internal Server Error" })
    const before = creates()
    const res = await makeCall({ to: "+14155550131" }, { "idempotency-key": "k-500" })
    expectMakeCallError(res, 500, /Twilio calls\.create failed \(HTTP 500, code 20500\)/)
    expect(res.json).toMatchObject({ to: "+14155550131", from: "+15005550006", call_sid: null })
    expect(creates() - before).toBe(1)
    const log = await t.app.runtime.runPromise(CallLogs.list("acme", { filters: { toNumber: "+14155550131" }, page: { kind: "offset", limit: 5, offset: 0 } }))
    const full = await t.app.runtime.runPromise(CallLogs.get("acme", log.calls[0]!.id))
    expect(full).toMatchObject({ status: "queued", call_sid: null })
    expect(full.error_message).toMatch(/HTTP 500.*may still have been placed/)
    // A retry with the key answers the same, without asking Twilio again.
    const again = await makeCall({ to: "+14155550131" }, { "idempotency-key": "k-500" })
    expect(again.status).toBe(500)
    expect(again.json).toEqual(res.json)
    expect(creates() - before).toBe(1)
  })

  it("timeout: not retried, 500, the record says so", async () => {
    fake.injectFault({ operation: "calls.create", delayMs: 2500 })
    const before = creates()
    const res = await makeCall({ to: "+14155550132" })
    expectMakeCallError(res, 500, /timeout|no answer within/i)
    // The held request completes at the fake later: Twilio may well have created the call.
    await eventually(() => (creates() - before === 1 ? true : undefined), 5000, "the held create to finish")
    const page = await t.app.runtime.runPromise(CallLogs.list("acme", { filters: { toNumber: "+14155550132" }, page: { kind: "offset", limit: 5, offset: 0 } }))
    const full = await t.app.runtime.runPromise(CallLogs.get("acme", page.calls[0]!.id))
    expect(full.status).toBe("queued")
    expect(full.error_message).toMatch(/timeout|no answer within/i)
  })

  it("21211 invalid number: 400 with Twilio's reason, the record is failed", async () => {
    fake.injectFault({ operation: "calls.create", status: 400, code: 21211, message: "Invalid 'To' Phone Number" })
    const res = await makeCall({ to: "+14155550133" })
    expectMakeCallError(res, 400, /Twilio rejected the call: Invalid 'To' Phone Number \(code 21211\)/)
    expect(res.json.status).toBe("failed")
    const page = await t.app.runtime.runPromise(CallLogs.list("acme", { filters: { toNumber: "+14155550133" }, page: { kind: "offset", limit: 5, offset: 0 } }))
    const full = await t.app.runtime.runPromise(CallLogs.get("acme", page.calls[0]!.id))
    expect(full).toMatchObject({ status: "failed", outcome: "failed", duration_seconds: 0 })
    expect(full.ended_at).not.toBeNull()
    expect(full.error_message).toMatch(/HTTP 400, code 21211/)
  })
})
