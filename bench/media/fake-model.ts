import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { type WebSocket, WebSocketServer } from "ws"
import { FRAME_MS, framePayload, Kind, readTag } from "./frames.js"
import type { CallMetrics, RunSamples } from "./metrics.js"

export interface FakeModelOptions {
  readonly responseMs: number
  samples: RunSamples
  callOf: (index: number) => CallMetrics | undefined
}

const APPEND = '{"type":"input_audio_buffer.append","audio":"'
const QUIET_FRAMES_TO_STOP = 10

interface Active {
  readonly no: number
  readonly id: string
  readonly itemId: string
  sent: number
  nextDue: number
  /** The caller spoke over it: a runtime with barge-in drops what follows. */
  interrupted: boolean
}

/** One GA-protocol session: real-time 20 ms deltas, energy "VAD" from the frame tags, cancel and truncate. */
class ModelConn {
  call: CallMetrics | null = null
  private wantResponse = false
  private active: Active | null = null
  private responses = 0
  private speaking = false
  private quiet = 0
  private audioMs = 0
  private readonly generatedMs = new Map<string, number>()

  constructor(private readonly ws: WebSocket, private readonly model: FakeModel) {}

  private send(o: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(o))
  }

  handle(text: string, now: number): void {
    if (text.startsWith(APPEND)) return this.append(text.slice(APPEND.length, text.indexOf('"', APPEND.length)), now)
    const e = JSON.parse(text) as Record<string, unknown>
    switch (e.type) {
      case "session.update":
        return this.send({ type: "session.updated", session: e.session })
      case "response.create":
        if (this.active) return this.send({ type: "error", error: { type: "invalid_request_error", code: "conversation_already_has_active_response", message: "busy" } })
        return this.startResponse(now)
      case "response.cancel":
        if (this.active) return this.finish("cancelled")
        return this.send({ type: "error", error: { type: "invalid_request_error", code: "response_cancel_not_active", message: "none" } })
      case "conversation.item.truncate": {
        const itemId = String(e.item_id)
        const end = Number(e.audio_end_ms)
        this.call?.truncates.push({ resp: Number(itemId.slice(3)), audioEndMs: end })
        if (!(end >= 0 && end <= (this.generatedMs.get(itemId) ?? -1))) {
          if (this.call) this.call.truncatesRefused++
          return this.send({ type: "error", error: { type: "invalid_request_error", code: "invalid_value", message: "audio_end_ms too long" } })
        }
        return this.send({ type: "conversation.item.truncated", item_id: itemId, content_index: 0, audio_end_ms: end })
      }
      case "conversation.item.create": {
        const item = { id: `ci-${this.audioMs}`, ...(e.item as object) }
        this.send({ type: "conversation.item.added", item })
        return this.send({ type: "conversation.item.done", item })
      }
    }
  }

  private append(b64: string, now: number): void {
    const tag = readTag(b64)
    if (!tag) return
    if (!this.call) {
      this.call = this.model.options.callOf(tag.call) ?? null
      if (!this.call) return
      if (this.wantResponse) this.startResponse(now)
    }
    const c = this.call
    c.inReceived++
    if (tag.seq !== c.lastInSeq + 1) c.inOutOfOrder++
    c.lastInSeq = tag.seq
    if (this.model.options.samples.measuring) this.model.options.samples.twilioToModel.push(now - c.inSendTimes.get(tag.seq))
    this.audioMs += FRAME_MS
    if (tag.kind === Kind.Speech) {
      this.quiet = 0
      if (this.speaking) return
      this.speaking = true
      if (this.active) this.active.interrupted = true
      return this.send({ type: "input_audio_buffer.speech_started", audio_start_ms: this.audioMs, item_id: `in-${this.audioMs}` })
    }
    if (!this.speaking || ++this.quiet < QUIET_FRAMES_TO_STOP) return
    this.speaking = false
    const itemId = `in-${this.audioMs}`
    const item = { id: itemId, type: "message", role: "user", content: [{ type: "input_audio", transcript: "caller turn" }] }
    this.send({ type: "input_audio_buffer.speech_stopped", audio_end_ms: this.audioMs, item_id: itemId })
    this.send({ type: "input_audio_buffer.committed", item_id: itemId })
    this.send({ type: "conversation.item.added", item })
    this.send({ type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript: "caller turn" })
    this.send({ type: "conversation.item.done", item })
    if (!this.active) this.startResponse(now)
  }

  private startResponse(now: number): void {
    if (this.model.stopping) return
    if (!this.call) {
      this.wantResponse = true
      return
    }
    this.wantResponse = false
    const no = ++this.responses
    this.active = { no, id: `resp-${no}`, itemId: `it-${no}`, sent: 0, nextDue: now, interrupted: false }
    this.send({ type: "response.created", response: { id: this.active.id, status: "in_progress" } })
    this.send({ type: "conversation.item.added", item: { id: this.active.itemId, type: "message", role: "assistant", content: [] } })
  }

  tick(now: number): void {
    const a = this.active
    const c = this.call
    if (!a || !c) return
    const total = this.model.options.responseMs / FRAME_MS
    while (this.active === a && a.nextDue <= now && a.sent < total) {
      const seq = c.outSent++
      c.outSendTimes.set(seq, performance.now())
      if (!(a.interrupted && this.model.dropsAfterSpeech)) c.outDeliverable++
      const delta = framePayload({ kind: Kind.Agent, call: c.index, resp: a.no, seq })
      this.ws.send(`{"type":"response.output_audio.delta","response_id":"${a.id}","item_id":"${a.itemId}","output_index":0,"content_index":0,"delta":"${delta}"}`)
      a.sent++
      a.nextDue += FRAME_MS
      this.generatedMs.set(a.itemId, a.sent * FRAME_MS)
      if (a.sent % 5 === 0) this.send({ type: "response.output_audio_transcript.delta", response_id: a.id, item_id: a.itemId, delta: " word" })
    }
    if (this.active === a && a.sent >= total) this.finish("completed")
  }

  private finish(status: "completed" | "cancelled"): void {
    const a = this.active
    if (!a) return
    this.active = null
    this.send({ type: "response.output_audio.done", response_id: a.id, item_id: a.itemId })
    if (status === "completed") this.send({ type: "response.output_audio_transcript.done", response_id: a.id, item_id: a.itemId, transcript: "word ".repeat(10).trim() })
    this.send({ type: "conversation.item.done", item: { id: a.itemId, type: "message", role: "assistant", content: [{ type: "output_audio", transcript: "words" }] } })
    this.send({ type: "response.done", response: { id: a.id, status, usage: { total_tokens: 0 } } })
  }

  get busy(): boolean {
    return this.active !== null
  }
}

/** The realtime model both systems under test talk to, in the generator's process. */
export class FakeModel {
  readonly conns = new Set<ModelConn>()
  stopping = false
  /** Whether the system under test is expected to drop a response's audio once the caller speaks over it. */
  dropsAfterSpeech = true
  url = ""
  private readonly http = createServer((_q, r) => r.writeHead(426).end())
  private readonly wss = new WebSocketServer({ server: this.http, perMessageDeflate: false })

  constructor(readonly options: FakeModelOptions) {
    this.wss.on("connection", (ws) => {
      const conn = new ModelConn(ws, this)
      this.conns.add(conn)
      ws.on("message", (data) => conn.handle(data.toString(), performance.now()))
      ws.on("error", () => undefined)
      ws.on("close", () => this.conns.delete(conn))
      ws.send(JSON.stringify({ type: "session.created", session: { type: "realtime" } }))
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.http.listen(0, "127.0.0.1", r))
    this.url = `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/v1/realtime`
  }

  tick(now: number): void {
    for (const c of this.conns) c.tick(now)
  }

  busy(): boolean {
    for (const c of this.conns) if (c.busy) return true
    return false
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate()
    await new Promise<void>((r) => this.http.close(() => r()))
  }
}
