import type WebSocket from "ws"
import type { ModelEvent, ModelSession } from "../../effects/RealtimeModel.js"
import { LatencyTracker } from "../domain/latency.js"
import { base64ByteLength } from "../domain/mulaw.js"
import { Playback } from "../domain/playback.js"
import { BENIGN_ERROR_CODES } from "../domain/realtime-events.js"
import type { TwilioInbound } from "./twilio-messages.js"

export interface TranscriptEntry {
  readonly role: "user" | "assistant" | "system"
  readonly content: string
  readonly timestamp: string
}

export interface ToolCallRequest {
  readonly callId: string
  readonly name: string
  readonly arguments: string
}

export interface BridgeHooks {
  /** Live log event (LogStream); cheap no-op without subscribers. */
  readonly publish: (type: string, data: unknown) => void
  readonly toolCall: (call: ToolCallRequest) => void
  /** The caller spoke or pressed a key (`byCaller`), or the agent finished a response: the idle clock restarts. */
  readonly callerActivity: (byCaller: boolean) => void
}

/**
 * The hot path of one call, synchronous on purpose: Twilio frames go to the model and model
 * audio goes to Twilio without a hop through a queue. Tracks playback (marks, barge-in),
 * latency, transcript, VAD events and DTMF for the call's records.
 */
export class CallBridge {
  readonly playback = new Playback()
  readonly latency: LatencyTracker
  readonly transcript: Array<TranscriptEntry> = []
  readonly vadEvents: Array<{ readonly type: string; readonly at: string; readonly audio_ms: number }> = []
  readonly dtmf: Array<{ readonly digit: string; readonly at: string }> = []
  readonly errors: Array<string> = []
  muted = false
  turns = 0
  framesIn = 0
  framesOut = 0
  staleDropped = 0
  private createAfterResponse = false
  private readonly mediaPrefix: string
  private readonly markPrefix: string

  constructor(
    private readonly twilio: WebSocket,
    readonly streamSid: string,
    private readonly model: ModelSession,
    silenceMs: number,
    private readonly hooks: BridgeHooks
  ) {
    this.latency = new LatencyTracker(silenceMs)
    this.mediaPrefix = `{"event":"media","streamSid":${JSON.stringify(streamSid)},"media":{"payload":"`
    this.markPrefix = `{"event":"mark","streamSid":${JSON.stringify(streamSid)},"mark":{"name":`
  }

  /** A Twilio message; returns "stop" when the caller's side ended the stream. */
  twilioMessage(msg: TwilioInbound): "stop" | undefined {
    switch (msg.event) {
      case "media":
        if (typeof msg.media?.payload === "string") {
          this.framesIn++
          this.model.appendAudio(msg.media.payload)
        }
        return
      case "mark": {
        const now = performance.now()
        if (typeof msg.mark?.name === "string" && this.playback.mark(msg.mark.name, now)) this.latency.markEchoed(now)
        return
      }
      case "dtmf":
        if (typeof msg.dtmf?.digit === "string") {
          this.dtmf.push({ digit: msg.dtmf.digit, at: new Date().toISOString() })
          this.hooks.publish("dtmf", { digit: msg.dtmf.digit })
          this.hooks.callerActivity(true)
        }
        return
      case "stop":
        return "stop"
    }
  }

  private sendTwilio(text: string): void {
    if (this.twilio.readyState === this.twilio.OPEN) this.twilio.send(text)
  }

  /** Barge-in as PROTOCOLS.md: clear, cancel, truncate to what the caller heard. */
  interrupt(reason: "caller" | "supervisor"): void {
    const b = this.playback.bargeIn(performance.now())
    if (!b) return
    if (b.clear) this.sendTwilio(`{"event":"clear","streamSid":${JSON.stringify(this.streamSid)}}`)
    if (b.cancelResponseId) this.model.send({ type: "response.cancel" })
    for (const t of b.truncates) this.model.send({ type: "conversation.item.truncate", item_id: t.itemId, content_index: 0, audio_end_ms: t.audioEndMs })
    this.hooks.publish("barge_in", { reason, heard_ms: Math.round(b.heardMs), truncates: b.truncates })
  }

  /** A supervisor's whisper: a system message the model reads and the caller never hears. */
  modelNote(note: string): void {
    this.model.send({ type: "conversation.item.create", item: { type: "message", role: "system", content: [{ type: "input_text", text: note }] } })
    this.hooks.publish("whisper", { note })
  }

  requestResponse(instructions?: string): void {
    this.latency.responseRequested(performance.now())
    this.model.send(instructions ? { type: "response.create", response: { instructions } } : { type: "response.create" })
  }

  /** After a tool's output: answer now, or once the response that called it is done. */
  answerAfterTool(): void {
    if (this.playback.activeResponseId !== null) this.createAfterResponse = true
    else this.requestResponse()
  }

  modelEvent(e: ModelEvent): void {
    const now = performance.now()
    switch (e.type) {
      case "input_audio_buffer.speech_started":
        this.vadEvents.push({ type: "speech_started", at: new Date().toISOString(), audio_ms: e.audio_start_ms })
        this.hooks.callerActivity(true)
        return this.interrupt("caller")
      case "input_audio_buffer.speech_stopped":
        this.vadEvents.push({ type: "speech_stopped", at: new Date().toISOString(), audio_ms: e.audio_end_ms })
        this.latency.speechStopped(now)
        this.turns++
        return
      case "conversation.item.input_audio_transcription.completed":
        if (e.transcript.trim()) this.addTranscript("user", e.transcript)
        return
      case "response.created":
        this.playback.responseStarted(e.response_id)
        if (this.muted) this.model.send({ type: "response.cancel" })
        return
      case "response.output_audio.delta": {
        if (this.muted) return
        const d = this.playback.audio(e.response_id, e.item_id, base64ByteLength(e.delta), now)
        if (!d.forward) {
          this.staleDropped++
          return
        }
        this.latency.firstDelta(now)
        this.sendTwilio(`${this.mediaPrefix}${e.delta}"}}`)
        this.sendTwilio(`${this.markPrefix}${JSON.stringify(d.mark)}}}`)
        this.latency.frameSent(now)
        this.framesOut++
        return
      }
      case "response.output_audio_transcript.delta":
        this.latency.firstDelta(now)
        this.hooks.publish("transcript.delta", { role: "assistant", delta: e.delta })
        return
      case "response.output_audio_transcript.done":
        if (!this.playback.isCancelled(e.response_id) && e.transcript.trim()) this.addTranscript("assistant", e.transcript)
        return
      case "response.function_call_arguments.done":
        return this.hooks.toolCall({ callId: e.call_id, name: e.name, arguments: e.arguments })
      case "response.done":
        this.playback.responseDone(e.response_id)
        this.hooks.callerActivity(false)
        if (this.createAfterResponse) {
          this.createAfterResponse = false
          this.requestResponse()
        }
        return
      case "error":
        if (e.error.code && BENIGN_ERROR_CODES.has(e.error.code)) return
        this.errors.push(`${e.error.code ?? e.error.type}: ${e.error.message}`)
        return this.hooks.publish("model.error", e.error)
      case "session.reconnected":
        return this.hooks.publish("model.reconnected", { reconnects: e.reconnects, planned: e.planned })
    }
  }

  addTranscript(role: TranscriptEntry["role"], content: string): void {
    this.transcript.push({ role, content, timestamp: new Date().toISOString() })
    this.hooks.publish("transcript", { role, content })
  }
}
