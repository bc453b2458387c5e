import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type WebSocket, WebSocketServer } from "ws"
import { openMediaStream } from "../../src/sandbox/twilio/media-stream-client.js"

interface Received {
  readonly event: string
  readonly [k: string]: unknown
}

/** A stand-in for our /media-stream: records what the "Twilio" client sends, lets a test talk back. */
let server: Server
let wss: WebSocketServer
let url: string
const sessions: Array<{ socket: WebSocket; messages: Array<Received> }> = []

beforeAll(async () => {
  server = createServer()
  wss = new WebSocketServer({ server, path: "/media-stream" })
  wss.on("connection", (socket) => {
    const s = { socket, messages: [] as Array<Received> }
    sessions.push(s)
    socket.on("message", (data) => s.messages.push(JSON.parse(String(data)) as Received))
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/media-stream`
})
afterAll(async () => {
  wss.close()
  await new Promise((r) => server.close(r))
})

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out")
    await new Promise((r) => setTimeout(r, 10))
  }
}
const agentAudio = (ms: number) => Buffer.alloc(ms * 8, 0x55).toString("base64")

describe("sandbox Media Streams client", () => {
  it("speaks Twilio's protocol: connected, start with parameters, 20 ms μ-law frames, dtmf, stop", async () => {
    const session = openMediaStream({
      url,
      accountSid: "AC1",
      callSid: "CA1",
      customParameters: { stream_token: "st1.x.y", tenant_id: "acme" },
      script: [{ kind: "speak", ms: 100 }, { kind: "dtmf", digit: "7" }, { kind: "silence", ms: 60 }, { kind: "hangup" }]
    })
    const report = await session.done
    const s = sessions.at(-1)!
    await until(() => s.messages.some((m) => m.event === "stop"))
    const events = s.messages.map((m) => m.event)
    expect(events.slice(0, 2)).toEqual(["connected", "start"])
    expect(s.messages[0]).toEqual({ event: "connected", protocol: "Call", version: "1.0.0" })
    expect(s.messages[1]).toMatchObject({
      event: "start",
      sequenceNumber: "1",
      streamSid: report.streamSid,
      start: { accountSid: "AC1", callSid: "CA1", tracks: ["inbound"], customParameters: { stream_token: "st1.x.y", tenant_id: "acme" }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } }
    })
    const media = s.messages.filter((m) => m.event === "media") as Array<Received & { media: { chunk: string; timestamp: string; payload: string; track: string } }>
    expect(media.length).toBeGreaterThanOrEqual(5)
    for (const m of media) {
      expect(Buffer.from(m.media.payload, "base64").length).toBe(160)
      expect(m.media.track).toBe("inbound")
      expect(typeof m.media.chunk).toBe("string")
      expect(typeof m.media.timestamp).toBe("string")
    }
    expect(media.map((m) => Number(m.media.chunk))).toEqual(media.map((_, i) => i + 1))
    // The caller's speech is signal; the rest of the line is μ-law silence (0xFF).
    const distinct = media.map((m) => new Set(Buffer.from(m.media.payload, "base64")).size)
    expect(distinct.filter((d) => d > 1).length).toBe(5)
    expect(distinct.filter((d) => d === 1).length).toBeGreaterThan(0)
    expect(s.messages.find((m) => m.event === "dtmf")).toMatchObject({ dtmf: { track: "inbound_track", digit: "7" } })
    expect(events.at(-1)).toBe("stop")
    expect(s.messages.at(-1)).toMatchObject({ stop: { accountSid: "AC1", callSid: "CA1" } })
    const seq = s.messages.slice(1).map((m) => Number(m.sequenceNumber))
    expect(seq).toEqual(seq.map((_, i) => i + 1))
    expect(report).toMatchObject({ endedBy: "caller", steps: ["speak", "dtmf", "silence", "hangup"] })
  })

  it("echoes a mark only after the audio queued before it has played", async () => {
    const session = openMediaStream({ url, accountSid: "AC1", callSid: "CA2", script: [{ kind: "wait_for_agent_audio", ms: 300 }, { kind: "wait_for_playback_idle" }, { kind: "silence", ms: 50 }, { kind: "hangup" }] })
    await until(() => sessions.length > 0 && sessions.at(-1)!.messages.some((m) => m.event === "start" && (m.start as { callSid: string }).callSid === "CA2"))
    const s = sessions.at(-1)!
    const streamSid = session.streamSid
    s.socket.send(JSON.stringify({ event: "media", streamSid, media: { payload: agentAudio(300) } }))
    s.socket.send(JSON.stringify({ event: "mark", streamSid, mark: { name: "item1:300" } }))
    // 300 ms of audio cannot have played within 100 ms: no echo yet.
    await new Promise((r) => setTimeout(r, 100))
    expect(s.messages.some((m) => m.event === "mark")).toBe(false)
    await until(() => s.messages.some((m) => m.event === "mark"))
    expect(s.messages.find((m) => m.event === "mark")).toMatchObject({ streamSid, mark: { name: "item1:300" } })
    const report = await session.done
    expect(report).toMatchObject({ agentAudioMs: 300, marksReceived: ["item1:300"], marksEchoed: ["item1:300"], clears: 0 })
    expect(report.agentAudioPlayedMs).toBeCloseTo(300, 0)
  })

  it("honours clear: unplayed audio is dropped and pending marks come back at once", async () => {
    const session = openMediaStream({ url, accountSid: "AC1", callSid: "CA3", script: [{ kind: "silence", ms: 600 }, { kind: "hangup" }] })
    await until(() => sessions.at(-1)!.messages.some((m) => m.event === "start" && (m.start as { callSid: string }).callSid === "CA3"))
    const s = sessions.at(-1)!
    const streamSid = session.streamSid
    for (const [i, ms] of [1000, 1000].entries()) {
      s.socket.send(JSON.stringify({ event: "media", streamSid, media: { payload: agentAudio(ms) } }))
      s.socket.send(JSON.stringify({ event: "mark", streamSid, mark: { name: `chunk${i}` } }))
    }
    await new Promise((r) => setTimeout(r, 150))
    s.socket.send(JSON.stringify({ event: "clear", streamSid }))
    await until(() => s.messages.filter((m) => m.event === "mark").length === 2)
    const report = await session.done
    expect(report.clears).toBe(1)
    expect(report.marksEchoed).toEqual(["chunk0", "chunk1"])
    // Everything not yet played was dropped, and nothing after the clear played.
    expect(report.agentAudioClearedMs + report.agentAudioPlayedMs).toBeCloseTo(2000, 0)
    expect(report.agentAudioPlayedMs).toBeLessThan(2000)
  })

  it("ends when the server closes the socket, and reports a refused upgrade", async () => {
    const session = openMediaStream({ url, accountSid: "AC1", callSid: "CA4", script: [{ kind: "silence", ms: 10_000 }] })
    await until(() => sessions.at(-1)!.messages.some((m) => m.event === "start" && (m.start as { callSid: string }).callSid === "CA4"))
    sessions.at(-1)!.socket.close(1000)
    expect((await session.done).endedBy).toBe("server")

    const refused = await openMediaStream({ url: url.replace("/media-stream", "/nowhere"), accountSid: "AC1", callSid: "CA5" }).done
    expect(refused.endedBy).toBe("error")
    expect(refused.error).toMatch(/HTTP 400|refused|Unexpected/)
  })
})
