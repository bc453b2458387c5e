import type { WebSocket } from "ws"
import { replyAudioMs, type ModelScript, type ScriptedReply } from "./script.js"
import { SimpleVad } from "./vad.js"

type Json = Record<string, unknown>

export interface Recorded {
  readonly connection: number
  readonly at: number
  readonly event: Json
}

/** Audio byte of the n-th response: loud, never a silence code, so tests can tell responses apart. */
export const responseByte = (n: number): number => n % 100

interface ActiveResponse {
  readonly id: string
  readonly itemId: string
  timer: NodeJS.Timeout | null
}

/** One model session of the sandbox: follows the script, honours cancel and truncate. */
export class SandboxModelConnection {
  private seq = 0
  private responses = 0
  private callerTurns = 0
  private active: ActiveResponse | null = null
  private readonly audioMsByItem = new Map<string, number>()
  private readonly vad = new SimpleVad(300)
  private createResponseOnStop = true
  private interruptOnSpeech = true

  constructor(
    private readonly ws: WebSocket,
    readonly number: number,
    private readonly script: ModelScript,
    private readonly record: (r: Recorded) => void
  ) {
    this.send({ type: "session.created", session: { type: "realtime" } })
  }

  private id(prefix: string): string {
    return `${prefix}_${this.number}_${++this.seq}`
  }

  private send(event: Json): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event))
  }

  private error(code: string, message: string): void {
    this.send({ type: "error", error: { type: "invalid_request_error", code, message } })
  }

  handle(event: Json): void {
    if (event.type !== "input_audio_buffer.append") this.record({ connection: this.number, at: performance.now(), event })
    switch (event.type) {
      case "session.update":
        return this.sessionUpdate(event)
      case "input_audio_buffer.append":
        return this.append(typeof event.audio === "string" ? event.audio : "")
      case "response.create": {
        const r = (event.response ?? {}) as Json
        // "…: \"words\"" speaks the quoted words (greetings, prompts); other instructions are spoken as is.
        if (typeof r.instructions === "string") return this.respond({ text: /"([^"]+)"\s*$/.exec(r.instructions)?.[1] ?? r.instructions })
        return this.respond(this.nextReply(false))
      }
      case "response.cancel":
        return this.active ? this.finish("cancelled") : this.error("response_cancel_not_active", "no active response")
      case "conversation.item.truncate":
        return this.truncate(event)
      case "conversation.item.create": {
        const item = { id: this.id("item"), ...((event.item ?? {}) as Json) }
        this.send({ type: "conversation.item.added", item })
        return this.send({ type: "conversation.item.done", item })
      }
    }
  }

  private sessionUpdate(event: Json): void {
    const refuse = this.script.faults?.refuseWith
    if (refuse) {
      this.send({ type: "error", error: { type: refuse === "invalid_api_key" ? "invalid_request_error" : "insufficient_quota", code: refuse, message: `sandbox refuses: ${refuse}` } })
      this.ws.close(1008, refuse)
      return
    }
    const session = (event.session ?? {}) as Json
    const audio = ((session.audio ?? {}) as Json).input as Json | undefined
    const td = (audio?.turn_detection ?? null) as Json | null
    if (td && typeof td.silence_duration_ms === "number") this.vad.silenceMs = td.silence_duration_ms
    if (td && typeof td.create_response === "boolean") this.createResponseOnStop = td.create_response
    if (td && typeof td.interrupt_response === "boolean") this.interruptOnSpeech = td.interrupt_response
    this.send({ type: "session.updated", session })
  }

  private append(b64: string): void {
    const v = this.vad.push(Buffer.from(b64, "base64"))
    if (!v) return
    if (v.kind === "started") {
      this.send({ type: "input_audio_buffer.speech_started", audio_start_ms: v.atMs, item_id: this.id("item") })
      if (this.interruptOnSpeech && this.active) this.finish("cancelled")
      return
    }
    const itemId = this.id("item")
    const transcript = this.script.callerTranscripts?.[this.callerTurns] ?? `caller turn ${this.callerTurns + 1}`
    this.send({ type: "input_audio_buffer.speech_stopped", audio_end_ms: v.atMs, item_id: itemId })
    this.send({ type: "input_audio_buffer.committed", item_id: itemId })
    const item = { id: itemId, type: "message", role: "user", content: [{ type: "input_audio", transcript }] }
    this.send({ type: "conversation.item.added", item })
    this.send({ type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript })
    this.send({ type: "conversation.item.done", item })
    if (this.createResponseOnStop && !this.active) this.respond(this.nextReply(true))
  }

  private nextReply(callerTurn: boolean): ScriptedReply {
    const replies = this.script.replies
    const n = callerTurn ? this.callerTurns++ : Math.max(0, this.callerTurns - 1)
    const r = replies[Math.min(n, replies.length - 1)] ?? { text: "Okay." }
    // After a tool's output, say the reply's text instead of calling the tool again.
    return callerTurn ? r : { text: r.text, ...(r.audioMs !== undefined ? { audioMs: r.audioMs } : {}) }
  }

  private respond(reply: ScriptedReply): void {
    if (this.active) return this.error("conversation_already_has_active_response", "a response is in progress")
    const id = this.id("resp")
    const itemId = this.id("item")
    const n = ++this.responses
    this.active = { id, itemId, timer: null }
    this.send({ type: "response.created", response: { id, status: "in_progress" } })
    if (reply.tool) {
      const callId = this.id("call")
      const args = JSON.stringify(reply.tool.arguments)
      const item = { id: itemId, type: "function_call", call_id: callId, name: reply.tool.name, arguments: args }
      this.send({ type: "response.output_item.added", response_id: id, item })
      this.send({ type: "response.function_call_arguments.done", response_id: id, item_id: itemId, call_id: callId, name: reply.tool.name, arguments: args })
      this.send({ type: "conversation.item.done", item })
      return this.finish("completed")
    }
    this.send({ type: "conversation.item.added", item: { id: itemId, type: "message", role: "assistant", content: [] } })
    const total = replyAudioMs(reply)
    const deltaMs = this.script.deltaMs ?? 100
    const words = reply.text.split(/\s+/)
    const payload = Buffer.alloc(deltaMs * 8, responseByte(n)).toString("base64")
    let sent = 0
    let word = 0
    const step = () => {
      if (this.active?.id !== id) return
      const ms = Math.min(deltaMs, total - sent)
      const b64 = ms === deltaMs ? payload : Buffer.alloc(ms * 8, responseByte(n)).toString("base64")
      sent += ms
      this.audioMsByItem.set(itemId, sent)
      this.send({ type: "response.output_audio.delta", response_id: id, item_id: itemId, output_index: 0, content_index: 0, delta: b64 })
      const upto = Math.ceil((sent / total) * words.length)
      for (; word < upto; word++) this.send({ type: "response.output_audio_transcript.delta", response_id: id, item_id: itemId, delta: `${word ? " " : ""}${words[word]}` })
      if (sent < total) {
        if (this.script.realtime === false) return step()
        // Like the real model, audio is generated faster than it plays (Twilio buffers it).
        this.active.timer = setTimeout(step, deltaMs / (this.script.speedup ?? 2))
        return
      }
      this.send({ type: "response.output_audio.done", response_id: id, item_id: itemId })
      this.send({ type: "response.output_audio_transcript.done", response_id: id, item_id: itemId, transcript: reply.text })
      this.send({ type: "conversation.item.done", item: { id: itemId, type: "message", role: "assistant", content: [{ type: "output_audio", transcript: reply.text }] } })
      this.finish("completed")
    }
    step()
  }

  private finish(status: "completed" | "cancelled"): void {
    const a = this.active
    if (!a) return
    if (a.timer) clearTimeout(a.timer)
    this.active = null
    this.send({ type: "response.done", response: { id: a.id, status, usage: { total_tokens: 0 } } })
  }

  private truncate(event: Json): void {
    const itemId = typeof event.item_id === "string" ? event.item_id : ""
    const end = typeof event.audio_end_ms === "number" ? event.audio_end_ms : -1
    const generated = this.audioMsByItem.get(itemId)
    if (generated === undefined) return this.error("item_not_found", `no audio item ${itemId}`)
    if (end < 0 || end > generated) return this.error("invalid_value", `audio_end_ms ${end} exceeds the item's ${generated} ms of audio`)
    this.send({ type: "conversation.item.truncated", item_id: itemId, content_index: 0, audio_end_ms: end })
  }

  close(): void {
    if (this.active?.timer) clearTimeout(this.active.timer)
    this.active = null
  }
}
