import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import twilio from "twilio"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type WebSocket, WebSocketServer } from "ws"
import { RebasedRequestClient } from "../../effects/TwilioHttpClient.js"
import { isValidTwilioSignature, signedParamsOf } from "../../src/domain/twilio-signature.js"
import { type SandboxTwilio, startSandboxTwilio } from "../../src/sandbox/twilio/server.js"

const ACCOUNT = `AC${"a".repeat(32)}`
const TOKEN = "sandbox-test-token"

interface Hit {
  readonly path: string
  readonly params: URLSearchParams
  readonly signatureValid: boolean
}

/** Our application's side: records every webhook (checking its signature) and answers TwiML. */
let app: Server
let appUrl: string
let wss: WebSocketServer
const hits: Array<Hit> = []
const streams: Array<{ socket: WebSocket; start?: Record<string, unknown> }> = []
let sandbox: SandboxTwilio
let client: twilio.Twilio

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const params = new URLSearchParams(body)
      const url = `${appUrl}${req.url}`
      hits.push({ path: req.url ?? "", params, signatureValid: isValidTwilioSignature(TOKEN, req.headers["x-twilio-signature"] as string | undefined, url, signedParamsOf(params)) })
      if (req.url?.startsWith("/voice")) {
        res.setHeader("content-type", "text/xml")
        const ws = appUrl.replace("http", "ws")
        return res.end(
          req.url.includes("say")
            ? "<Response><Say>Hello</Say><Hangup/></Response>"
            : `<Response><Connect><Stream url="${ws}/media-stream"><Parameter name="stream_token" value="tok&amp;1"/></Stream></Connect></Response>`
        )
      }
      res.setHeader("content-type", "application/json")
      res.end('{"ok":true}')
    })
  })
  wss = new WebSocketServer({ server: app, path: "/media-stream" })
  wss.on("connection", (socket) => {
    const s: { socket: WebSocket; start?: Record<string, unknown> } = { socket }
    streams.push(s)
    socket.on("message", (d) => {
      const m = JSON.parse(String(d)) as { event: string; start?: Record<string, unknown>; streamSid?: string }
      if (m.event !== "start") return
      s.start = m.start
      // The agent says 200 ms and marks it; the caller's script waits for it.
      socket.send(JSON.stringify({ event: "media", streamSid: m.streamSid, media: { payload: Buffer.alloc(1600, 0x55).toString("base64") } }))
      socket.send(JSON.stringify({ event: "mark", streamSid: m.streamSid, mark: { name: "greeting" } }))
    })
  })
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()))
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
  sandbox = await startSandboxTwilio({
    accounts: { [ACCOUNT]: TOKEN },
    scenario: () => ({ answer: "human", ringMs: 20, amdDelayMs: 20, script: [{ kind: "wait_for_agent_audio", ms: 200, timeoutMs: 3000 }, { kind: "wait_for_playback_idle", timeoutMs: 3000 }, { kind: "speak", ms: 100 }, { kind: "hangup" }] })
  })
  client = twilio(ACCOUNT, TOKEN, { accountSid: ACCOUNT, httpClient: new RebasedRequestClient(sandbox.url, { timeout: 3000 }) })
})
afterAll(async () => {
  await sandbox?.close()
  wss?.close()
  await new Promise((r) => app?.close(r))
})

const hitsFor = (callSid: string) => hits.filter((h) => h.params.get("CallSid") === callSid)
const create = (to: string, extra: Record<string, unknown> = {}) =>
  client.calls.create({ to, from: "+15005550006", url: `${appUrl}/voice`, statusCallback: `${appUrl}/status`, statusCallbackEvent: ["initiated", "ringing", "answered", "completed"], ...extra })

describe("sandbox Twilio REST", () => {
  it("authenticates like Twilio (20003) and validates numbers like Twilio (21211)", async () => {
    const anonymous = await fetch(`${sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Calls.json`, { method: "POST" })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ code: 20003, status: 401 })
    const wrong = twilio(ACCOUNT, "wrong-token", { accountSid: ACCOUNT, httpClient: new RebasedRequestClient(sandbox.url) })
    await expect(wrong.calls.create({ to: "+14155550100", from: "+15005550006", url: `${appUrl}/voice` })).rejects.toMatchObject({ status: 401, code: 20003 })
    await expect(create("555")).rejects.toMatchObject({ status: 400, code: 21211 })
  })

  it("answers programmed faults with Twilio's error body", async () => {
    sandbox.injectFault({ operation: "calls.create", status: 429 })
    await expect(create("+14155550100")).rejects.toMatchObject({ status: 429, code: 20429 })
    const message = await client.messages.create({ to: "+14155550100", from: "+15005550006", body: "hi" })
    expect(message.sid).toMatch(/^SM/)
    expect((await client.messages(message.sid).fetch()).body).toBe("hi")
  })
})

describe("sandbox Twilio dials back", () => {
  it("signed status callbacks, the voice URL, a media stream with the TwiML parameters, async AMD, hang-up", async () => {
    const call = await create("+14155550101", { machineDetection: "DetectMessageEnd", asyncAmd: "true", asyncAmdStatusCallback: `${appUrl}/amd` })
    expect(call.status).toBe("queued")
    const done = await sandbox.calls.get(call.sid)!.finished
    expect(done.status).toBe("completed")
    const mine = hitsFor(call.sid)
    expect(mine.every((h) => h.signatureValid)).toBe(true)
    const statuses = mine.filter((h) => h.path === "/status").map((h) => h.params.get("CallStatus"))
    expect(statuses).toEqual(["queued", "ringing", "in-progress", "completed"])
    const voice = mine.find((h) => h.path === "/voice")!
    expect(Object.fromEntries(voice.params)).toMatchObject({ CallStatus: "in-progress", Direction: "outbound-api", From: "+15005550006", To: "+14155550101", AccountSid: ACCOUNT })
    const amd = mine.find((h) => h.path === "/amd")!
    expect(amd.params.get("AnsweredBy")).toBe("human")
    const final = mine.filter((h) => h.path === "/status").at(-1)!
    expect(Number(final.params.get("CallDuration"))).toBeGreaterThanOrEqual(0)
    expect(final.params.get("SequenceNumber")).toBe("3")

    const stream = streams.find((s) => (s.start as { callSid?: string } | undefined)?.callSid === call.sid)!
    expect(stream.start).toMatchObject({ customParameters: { stream_token: "tok&1" } })
    expect(done.media).toMatchObject({ endedBy: "caller", marksEchoed: ["greeting"], agentAudioMs: 200 })
    expect((await client.calls(call.sid).fetch()).status).toBe("completed")
  })

  it("busy: the final callback only, no voice request", async () => {
    sandbox.setScenario("+14155550102", { answer: "busy", ringMs: 10 })
    const call = await create("+14155550102")
    await sandbox.calls.get(call.sid)!.finished
    const mine = hitsFor(call.sid)
    expect(mine.map((h) => [h.path, h.params.get("CallStatus")])).toEqual([["/status", "queued"], ["/status", "ringing"], ["/status", "busy"]])
  })

  it("a REST hang-up ends a live call; a cancel before answer is 'canceled'", async () => {
    sandbox.setScenario("+14155550103", { answer: "human", ringMs: 10, script: [{ kind: "silence", ms: 30_000 }] })
    const live = await create("+14155550103")
    const deadline = Date.now() + 5000
    while (!sandbox.calls.get(live.sid)!.media && sandbox.calls.get(live.sid)!.status !== "in-progress" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 100))
    await client.calls(live.sid).update({ status: "completed" })
    expect((await sandbox.calls.get(live.sid)!.finished).status).toBe("completed")

    sandbox.setScenario("+14155550104", { answer: "human", ringMs: 5000 })
    const ringing = await create("+14155550104")
    await client.calls(ringing.sid).update({ status: "canceled" })
    expect((await sandbox.calls.get(ringing.sid)!.finished).status).toBe("canceled")
  })

  it("an inbound call posts the incoming webhook and follows its TwiML", async () => {
    const call = sandbox.incomingCall({ accountSid: ACCOUNT, from: "+14155550199", to: "+15005550006", url: `${appUrl}/voice?say=1`, statusCallback: `${appUrl}/status` })
    const done = await call.finished
    expect(done.status).toBe("completed")
    expect(done.twimlExecuted).toEqual(["<Response><Say>Hello</Say><Hangup/></Response>"])
    const incoming = hitsFor(call.sid).find((h) => h.path.startsWith("/voice"))!
    expect(Object.fromEntries(incoming.params)).toMatchObject({ Direction: "inbound", From: "+14155550199", To: "+15005550006", CallStatus: "in-progress" })
    expect(incoming.signatureValid).toBe(true)
  })
})
