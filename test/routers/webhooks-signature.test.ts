import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { StreamTokens } from "../../effects/StreamTokens.js"
import { parseTwiml, streamOf } from "../../src/sandbox/twilio/twiml.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { AUTH_TOKEN, postTwilio, type TwilioPost, twilioConfig } from "../support/fake-twilio.js"

const PUBLIC = "https://voice.example.test"
const OUR_NUMBER = "+15005550006"
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ PUBLIC_BASE_URL: PUBLIC })
  await t.createTenant("acme", twilioConfig())
})
afterAll(async () => t?.close())

let n = 0
const incoming = (extra: Record<string, string | Array<string>> = {}) => ({
  CallSid: `CA${String(++n).padStart(32, "0")}`,
  AccountSid: `AC${"1".repeat(32)}`,
  From: "+14155550100",
  To: OUR_NUMBER,
  CallStatus: "ringing",
  Direction: "inbound",
  ...extra
})
const post = (p: Omit<TwilioPost, "path"> & { path?: string }) => postTwilio(t, PUBLIC, { path: "/api/v1/incoming-call", ...p })

const expect401 = async (res: Promise<{ status: number; text: string; headers: Headers }>) => {
  const r = await res
  expect(r.status, r.text).toBe(401)
  expect(r.headers.get("content-type")).toMatch(/^text\/plain/)
  expect(r.text).toMatch(/signature/)
}

describe("X-Twilio-Signature on /api/v1/incoming-call", () => {
  it("a valid signature answers TwiML connecting the call to the media stream", async () => {
    const params = incoming()
    const res = await post({ params, token: AUTH_TOKEN })
    expect(res.status, res.text).toBe(200)
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/)
    const stream = streamOf(parseTwiml(res.text))!
    expect(stream.url).toBe("wss://voice.example.test/media-stream")
    expect(stream.parameters).toMatchObject({ tenant_id: "acme", call_sid: params.CallSid, direction: "inbound", from: "+14155550100", to: OUR_NUMBER })
    const claims = await t.app.runtime.runPromise(StreamTokens.verify(stream.parameters.stream_token, params.CallSid))
    expect(claims).toMatchObject({ tenant_id: "acme", call_sid: params.CallSid })
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600)
  })

  it("a tampered parameter, a wrong token or no signature is 401 text/plain", async () => {
    const params = incoming()
    await expect401(post({ params: { ...params, From: "+19995550100" }, signedParams: params, token: AUTH_TOKEN }))
    await expect401(post({ params, token: "not-the-auth-token" }))
    await expect401(post({ params }))
  })

  it("accepts the URL signed with or without the default port", async () => {
    const path = "/api/v1/incoming-call"
    expect((await post({ params: incoming(), token: AUTH_TOKEN, signedUrl: `https://voice.example.test:443${path}` })).status).toBe(200)
    expect((await post({ params: incoming(), token: AUTH_TOKEN, signedUrl: `${PUBLIC}${path}` })).status).toBe(200)
    await expect401(post({ params: incoming(), token: AUTH_TOKEN, signedUrl: `http://voice.example.test${path}` }))
  })

  it("the query string is part of what is signed", async () => {
    const path = "/api/v1/incoming-call?source=test&x=%27quoted%27"
    expect((await post({ path, params: incoming(), token: AUTH_TOKEN })).status).toBe(200)
    await expect401(post({ path, params: incoming(), token: AUTH_TOKEN, signedUrl: `${PUBLIC}/api/v1/incoming-call?source=other&x=%27quoted%27` }))
  })

  it("repeated keys: every value is signed", async () => {
    const params = incoming({ StirVerstat: ["TN-Validation-Passed-A", "TN-Validation-Passed-B"] })
    expect((await post({ params, token: AUTH_TOKEN })).status).toBe(200)
    await expect401(post({ params, signedParams: { ...params, StirVerstat: "TN-Validation-Passed-A" }, token: AUTH_TOKEN }))
  })

  it("an unknown number on an unknown account is refused; the tenant's account proves its other numbers", async () => {
    const res = await post({ params: incoming({ To: "+15559990000", AccountSid: `AC${"9".repeat(32)}` }), token: AUTH_TOKEN })
    expect(res.status).toBe(401)
    expect(res.text).toBe("no tenant found for +15559990000")
    const onAccount = await post({ params: incoming({ To: "+15559990000" }), token: AUTH_TOKEN })
    expect(streamOf(parseTwiml(onAccount.text))!.parameters.tenant_id).toBe("acme")
  })

  it("a tenant without a Twilio auth token is accepted unsigned (nothing to verify)", async () => {
    await t.createTenant("unsigned", { twilio: { account_sid: `AC${"2".repeat(32)}`, api_key_sid: "SK1", api_key_secret: "s", phone_numbers: ["+15005550010"] } })
    const res = await post({ params: incoming({ To: "+15005550010", AccountSid: `AC${"2".repeat(32)}` }) })
    expect(res.status, res.text).toBe(200)
    expect(streamOf(parseTwiml(res.text))!.parameters.tenant_id).toBe("unsigned")
  })

  it("a CallSid is required", async () => {
    const { CallSid: _, ...params } = incoming()
    const res = await post({ params, token: AUTH_TOKEN })
    expect(res.status).toBe(400)
    expect(res.text).toBe("CallSid is required")
  })
})
