import WebSocket from "ws"
import { FRAME_MS, framePayload, Kind, readTag } from "./frames.js"
import type { CallMetrics, RunSamples } from "./metrics.js"

const SPEAK_FRAMES = 20
const PAYLOAD = '"payload":"'

interface Chunk {
  readonly resp: number
  readonly startAt: number
  readonly endAt: number
}

type Phase = { readonly kind: "wait_idle" } | { readonly kind: "speaking"; readonly then: "wait_idle" | "wait_barge" } | { readonly kind: "wait_barge"; readonly base: number; readonly at: number; readonly deadline: number }

/**
 * Twilio's side of one bidirectional Media Stream: a 20 ms inbound track at real-time pace,
 * a playout clock that plays received audio in real time and echoes each mark when playback
 * reaches it (or at once on `clear`), and a caller who alternates letting an answer play to
 * its end and speaking over the next one.
 */
export class FakeTwilioCall {
  sending = true
  callerActive = true
  private ws: WebSocket | null = null
  private readonly streamSid: string
  private chunks: Array<Chunk> = []
  private playEnd = 0
  private playedTotal = 0
  private playedByResp = new Map<number, number>()
  private marks: Array<{ readonly name: string; readonly at: number }> = []
  private maxResp = 0
  private staleBelow = 0
  private phase: Phase = { kind: "wait_idle" }
  private speakLeft = 0
  private lastSpeakEnd = 0
  private startedAt = 0
  private nextDue = 0
  private seq = 0
  private msgSeq = 0

  constructor(
    readonly m: CallMetrics,
    private readonly samples: RunSamples,
    readonly callSid: string,
    private readonly params: Record<string, string>
  ) {
    this.streamSid = `MZbench${String(m.index).padStart(6, "0")}${callSid.slice(-8)}`
  }

  /** Opens the socket and sends `connected` + `start`; rejects with the HTTP status when refused. */
  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false })
      ws.once("unexpected-response", (_q, res) => reject(new Error(String(res.statusCode))))
      ws.on("error", (e) => reject(e))
      ws.once("open", () => {
        this.ws = ws
        ws.on("message", (d) => this.onMessage(d.toString(), performance.now()))
        ws.once("close", () => (this.m.ended = true))
        ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }))
        this.sendJson({ event: "start", streamSid: this.streamSid, start: { streamSid: this.streamSid, accountSid: "ACbench", callSid: this.callSid, tracks: ["inbound"], customParameters: this.params, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } })
        this.startedAt = this.nextDue = this.lastSpeakEnd = performance.now()
        this.m.started = true
        resolve()
      })
    })
  }

  private sendJson(o: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ ...o, sequenceNumber: String(++this.msgSeq) }))
  }

  private played(now: number): number {
    const head = this.chunks[0]
    return this.playedTotal + (head && head.startAt < now ? Math.min(FRAME_MS, now - head.startAt) : 0)
  }

  private onMessage(text: string, now: number): void {
    if (text.startsWith('{"event":"media"')) {
      const i = text.indexOf(PAYLOAD) + PAYLOAD.length
      const tag = readTag(text.slice(i, i + 16))
      if (!tag) return
      this.m.outReceived++
      if (this.samples.measuring) this.samples.modelToTwilio.push(now - this.m.outSendTimes.get(tag.seq))
      if (tag.resp <= this.staleBelow) this.m.staleAfterClear++
      this.maxResp = Math.max(this.maxResp, tag.resp)
      const startAt = Math.max(now, this.playEnd)
      this.playEnd = startAt + FRAME_MS
      this.chunks.push({ resp: tag.resp, startAt, endAt: this.playEnd })
      return
    }
    const msg = JSON.parse(text) as { event?: string; mark?: { name?: string } }
    if (msg.event === "mark" && typeof msg.mark?.name === "string") {
      this.marks.push({ name: msg.mark.name, at: Math.max(now, this.playEnd) })
      this.echoMarks(now)
    } else if (msg.event === "clear") this.clear(now)
  }

  private clear(now: number): void {
    this.m.clears++
    const head = this.chunks[0]
    if (head && head.startAt < now) this.playedByResp.set(head.resp, (this.playedByResp.get(head.resp) ?? 0) + Math.min(FRAME_MS, now - head.startAt))
    for (const c of this.chunks) if (!this.playedByResp.has(c.resp)) this.playedByResp.set(c.resp, 0)
    for (const [resp, ms] of this.playedByResp) this.m.playedAtClear.set(resp, ms)
    this.playedByResp = new Map()
    this.playedTotal = this.played(now)
    this.chunks = []
    this.playEnd = now
    this.staleBelow = this.maxResp
    // Twilio echoes the marks of flushed audio at once.
    for (const mk of this.marks.splice(0)) this.sendJson({ event: "mark", streamSid: this.streamSid, mark: { name: mk.name } })
  }

  private echoMarks(now: number): void {
    while (this.marks.length > 0 && this.marks[0]!.at <= now) {
      const mk = this.marks.shift()!
      this.sendJson({ event: "mark", streamSid: this.streamSid, mark: { name: mk.name } })
    }
  }

  tick(now: number): void {
    if (!this.ws || this.m.ended) return
    while (this.chunks.length > 0 && this.chunks[0]!.endAt <= now) {
      const c = this.chunks.shift()!
      this.playedTotal += FRAME_MS
      this.playedByResp.set(c.resp, (this.playedByResp.get(c.resp) ?? 0) + FRAME_MS)
    }
    this.echoMarks(now)
    while (this.sending && this.nextDue <= now) {
      const kind = this.speakLeft > 0 ? Kind.Speech : Kind.Silence
      if (this.speakLeft > 0) this.speakLeft--
      const seq = this.seq++
      const payload = framePayload({ kind, call: this.m.index, resp: 0, seq })
      this.m.inSendTimes.set(seq, performance.now())
      this.ws.send(`{"event":"media","sequenceNumber":"${++this.msgSeq}","streamSid":"${this.streamSid}","media":{"track":"inbound","chunk":"${seq + 1}","timestamp":"${Math.round(now - this.startedAt)}","payload":"${payload}"}}`)
      this.m.inSent++
      this.nextDue += FRAME_MS
    }
    this.caller(now)
  }

  private speak(then: "wait_idle" | "wait_barge"): void {
    this.speakLeft = SPEAK_FRAMES
    this.phase = { kind: "speaking", then }
  }

  private caller(now: number): void {
    const p = this.phase
    if (p.kind === "speaking") {
      if (this.speakLeft > 0) return
      this.lastSpeakEnd = now
      this.phase = p.then === "wait_idle" ? p : { kind: "wait_barge", base: this.played(now), at: 1000 + Math.random() * 500, deadline: now + 6000 }
      return
    }
    if (!this.callerActive) return
    if (p.kind === "wait_idle") {
      if (now - this.startedAt >= 1000 && this.playEnd + 400 <= now && now - this.lastSpeakEnd >= 400) this.speak("wait_barge")
    } else if (this.played(now) - p.base >= p.at) this.speak("wait_idle")
    else if (now > p.deadline) this.phase = { kind: "wait_idle" }
  }

  /** Audio still queued for playout, ms. */
  pendingMs(now: number): number {
    return Math.max(0, this.playEnd - now)
  }

  hangUp(): void {
    this.sendJson({ event: "stop", streamSid: this.streamSid, stop: { accountSid: "ACbench", callSid: this.callSid } })
    this.ws?.close(1000)
  }
}
