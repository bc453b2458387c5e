/**
 * Per-turn latency (PROTOCOLS.md): LLM first token = speech_stopped (or our own
 * response.create) → first audio/transcript delta; end-to-end first audio = the moment the
 * caller stopped speaking (speech_stopped minus the VAD silence window) → first media frame
 * sent to Twilio. Aggregated per call by `summarizeTurnLatencies` (percentiles.ts).
 */

export interface TurnLatency {
  readonly turn: number
  readonly trigger: "speech_stopped" | "response_create"
  readonly llm_first_token_ms: number | null
  readonly e2e_first_audio_ms: number | null
  /** First mark echo after the turn's first frame: ≈ audio actually played (server side). */
  readonly first_mark_ms: number | null
}

const round = (n: number): number => Math.round(n * 100) / 100

/**
 * Collects one call's turns. A turn opens on speech_stopped or on our own response.create
 * and closes at its first delta / first frame / first mark; later events of the same turn
 * are ignored. Clock values are ms (performance.now()).
 */
export class LatencyTracker {
  private readonly done: Array<TurnLatency> = []
  private open: {
    trigger: TurnLatency["trigger"]
    triggeredAt: number
    stoppedSpeakingAt: number | null
    firstDeltaAt: number | null
    firstFrameAt: number | null
    firstMarkAt: number | null
  } | null = null

  constructor(private readonly silenceWindowMs: number) {}

  speechStopped(now: number): void {
    this.close()
    this.open = { trigger: "speech_stopped", triggeredAt: now, stoppedSpeakingAt: now - this.silenceWindowMs, firstDeltaAt: null, firstFrameAt: null, firstMarkAt: null }
  }

  responseRequested(now: number): void {
    if (this.open && this.open.firstDeltaAt === null) return
    this.close()
    this.open = { trigger: "response_create", triggeredAt: now, stoppedSpeakingAt: null, firstDeltaAt: null, firstFrameAt: null, firstMarkAt: null }
  }

  firstDelta(now: number): void {
    if (this.open && this.open.firstDeltaAt === null) this.open.firstDeltaAt = now
  }

  frameSent(now: number): void {
    if (this.open && this.open.firstFrameAt === null) this.open.firstFrameAt = now
  }

  markEchoed(now: number): void {
    if (this.open && this.open.firstFrameAt !== null && this.open.firstMarkAt === null) this.open.firstMarkAt = now
  }

  /** Speech started again: a turn that never produced audio ends unanswered. */
  private close(): void {
    const t = this.open
    this.open = null
    if (!t || t.firstDeltaAt === null) return
    const from = t.stoppedSpeakingAt ?? t.triggeredAt
    this.done.push({
      turn: this.done.length + 1,
      trigger: t.trigger,
      llm_first_token_ms: round(t.firstDeltaAt - t.triggeredAt),
      e2e_first_audio_ms: t.firstFrameAt === null ? null : round(t.firstFrameAt - from),
      first_mark_ms: t.firstMarkAt === null ? null : round(t.firstMarkAt - from)
    })
  }

  turns(): ReadonlyArray<TurnLatency> {
    this.close()
    return this.done
  }
}
