import { Effect } from "effect"
import { connect as tcpConnect, type Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import WebSocket from "ws"
import { LogStream } from "../../effects/LogStream.js"
import { startSandboxModel, type SandboxModel } from "../../src/sandbox/model/server.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { dial, finalLog, waitFor } from "./support.js"

const A = "logs-a"
const B = "logs-b"
// ~6 MB of transcript deltas in one answer: more than the kernel buffers of a reader that stopped
// reading. One repeated word: the transcript's full-text index cannot hold 1 MB of distinct words.
const FLOOD = Array.from({ length: 3000 }, () => "w".repeat(2000)).join(" ")
let model: SandboxModel
let t: TestApp
const keys: Record<string, string> = {}

beforeAll(async () => {
  model = await startSandboxModel({ replies: [{ text: FLOOD, audioMs: 1000 }, { text: "Anything else?", audioMs: 400 }], callerTranscripts: ["Tell me everything.", "No."], deltaMs: 100 })
  t = await startTestApp({ OPENAI_REALTIME_URL: model.url })
  for (const id of [A, B]) {
    await t.createTenant(id, { greeting: `Hello from ${id}.` })
    keys[id] = (await t.createKey(id)).token
  }
})

afterAll(async () => {
  await t?.close()
  await model?.close()
})

interface LogEvent {
  readonly type: string
  readonly tenant_id?: string
  readonly call_sid?: string
  readonly data?: { readonly content?: string; readonly role?: string }
}

const logsUrl = () => `${t.url.replace(/^http/, "ws")}/api/v1/logs`

const subscribe = async (token: string) => {
  const ws = new WebSocket(logsUrl(), { headers: { authorization: `Bearer ${token}` } })
  const events: Array<LogEvent> = []
  let closedWith: number | null = null
  ws.on("message", (d) => events.push(JSON.parse(d.toString()) as LogEvent))
  ws.on("close", (code) => (closedWith = code))
  await new Promise((r, j) => ws.once("open", r).once("error", j))
  await waitFor(() => events.some((e) => e.type === "subscribed"), 5000, "subscribed")
  return { ws, events, closed: () => closedWith }
}

/** A subscriber that completes the upgrade and then stops reading: its bytes pile up in the server. */
const stalledSubscriber = (token: string) =>
  new Promise<{ socket: Socket; received: () => Buffer }>((resolve, reject) => {
    const port = new URL(t.url).port
    const chunks: Array<Buffer> = []
    const socket = tcpConnect(Number(port), "127.0.0.1", () =>
      socket.write(
        `GET /api/v1/logs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`
      )
    )
    socket.on("error", reject)
    socket.on("data", (d: Buffer) => {
      chunks.push(d)
      if (chunks.length === 1) {
        if (!d.toString("latin1").startsWith("HTTP/1.1 101")) return reject(new Error(d.toString("latin1")))
        socket.pause()
        resolve({ socket, received: () => Buffer.concat(chunks) })
      }
    })
  })

const stats = async (token: string) => (await t.request("/api/v1/logs/stats", { token })).json.connectedClients

describe("GET /api/v1/logs (WebSocket)", () => {
  test("a bearer is required", async () => {
    const ws = new WebSocket(logsUrl())
    const status = await new Promise<number | undefined>((r) => ws.once("unexpected-response", (_q, res) => r(res.statusCode)).once("open", () => r(101)))
    expect(status).toBe(401)
  })

  test("each tenant's subscribers get that tenant's call events and never another tenant's", async () => {
    const subA = await subscribe(keys[A]!)
    const subB = await subscribe(keys[B]!)
    expect(await stats(keys[A]!)).toBe(1)
    const callA = await dial(t, A, [{ kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 }, { kind: "wait_for_playback_idle" }, { kind: "hangup" }])
    await callA.session.done
    await waitFor(() => subA.events.some((e) => e.type === "call.ended"), 10_000, "A's call.ended")
    const callB = await dial(t, B, [{ kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 }, { kind: "wait_for_playback_idle" }, { kind: "hangup" }])
    await callB.session.done
    // Events of one socket arrive in order: once B's call has ended here, A's events would have come first.
    await waitFor(() => subB.events.some((e) => e.type === "call.ended"), 10_000, "B's call.ended")

    for (const [sub, tenant, call] of [[subA, A, callA.callSid], [subB, B, callB.callSid]] as const) {
      const callEvents = sub.events.filter((e) => e.type !== "subscribed")
      expect(callEvents.every((e) => e.tenant_id === tenant && e.call_sid === call)).toBe(true)
      expect(callEvents.map((e) => e.type)).toEqual(expect.arrayContaining(["call.started", "transcript.delta", "transcript", "call.ended"]))
      expect(callEvents.find((e) => e.type === "transcript")?.data).toEqual({ role: "assistant", content: `Hello from ${tenant}.` })
    }
    subA.ws.close()
    subB.ws.close()
  })

  test("a subscriber that stops reading is dropped; the call and the other subscribers go on", async () => {
    const fast = await subscribe(keys[A]!)
    const slow = await stalledSubscriber(keys[A]!)
    await waitFor(() => t.app.runtime.runSync(Effect.map(LogStream, (l) => l.connectedClients(A))) === 2, 5000, "two subscribers")
    const { callSid, session } = await dial(t, A, [
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 },
      { kind: "wait_for_playback_idle" },
      { kind: "speak", ms: 600, label: "flood me" },
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 8000 },
      { kind: "wait_for_playback_idle" },
      { kind: "speak", ms: 600, label: "no" },
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 8000 },
      { kind: "wait_for_playback_idle" },
      { kind: "hangup" }
    ])
    const report = await session.done
    expect(report.endedBy).toBe("caller")
    await waitFor(() => fast.events.some((e) => e.type === "call.ended" && e.call_sid === callSid), 20_000, "fast subscriber saw the end")

    expect(t.app.runtime.runSync(Effect.map(LogStream, (l) => l.droppedCount()))).toBe(1)
    expect(await stats(keys[A]!)).toBe(1)
    expect(fast.closed()).toBeNull()
    const transcripts = fast.events.filter((e) => e.type === "transcript" && e.call_sid === callSid).map((e) => e.data?.content)
    expect(transcripts).toContain("Anything else?")
    const log = await finalLog(t, A, callSid)
    expect(log.status).toBe("completed")
    expect(log.transcript.at(-1)?.content).toBe("Anything else?")

    // The stalled reader, once it reads again, finds the close frame (1013 "subscriber too slow") after its backlog.
    slow.socket.resume()
    const close = Buffer.concat([Buffer.from([0x88, 2 + 19, 0x03, 0xf5]), Buffer.from("subscriber too slow")])
    await waitFor(() => slow.received().subarray(-close.length).equals(close), 20_000, "close frame")
    slow.socket.destroy()
    fast.ws.close()
  })
})
