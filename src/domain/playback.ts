/**
 * What the caller has actually heard of the agent's audio, and what a barge-in must do.
 *
 * Outbound audio forms one timeline per "epoch" (reset by every `clear`). Positions are in
 * μ-law bytes (8 per ms) so marks are exact integers. After each chunk we send Twilio a mark
 * named `epoch|position|item`; Twilio echoes it when playback reaches that position. Heard
 * audio at time t is the last echoed position plus real-time playback since, where each later
 * chunk cannot start before it was sent (playback may have run dry) — never more than was sent.
 *
 * Pure: the clock is an argument, there is no I/O. Mutable for the per-frame hot path.
 */
import { BYTES_PER_MS } from "./mulaw.js"

interface Chunk {
  readonly start: number
  readonly end: number
  readonly sentAt: number
}

interface ItemSpan {
  readonly itemId: string
  readonly responseId: string
  readonly start: number
  end: number
}

export type AudioDecision = { readonly forward: true; readonly mark: string } | { readonly forward: false }

export interface Truncate {
  readonly itemId: string
  /** Whole ms of this item's audio the caller heard; never more than the item's audio. */
  readonly audioEndMs: number
}

export interface BargeIn {
  /** Twilio still holds unplayed audio: send `clear`. */
  readonly clear: boolean
  /** The response to cancel (`response.cancel`), if one is generating or unheard. */
  readonly cancelResponseId: string | null
  readonly truncates: ReadonlyArray<Truncate>
  /** Heard position of the timeline when the barge-in happened, in ms. */
  readonly heardMs: number
}

const CANCELLED_KEPT = 32
const SEP = "|"

export const parseMark = (name: string): { readonly epoch: number; readonly pos: number } | null => {
  const [e, p] = name.split(SEP, 2)
  const epoch = Number(e)
  const pos = Number(p)
  return Number.isInteger(epoch) && Number.isInteger(pos) && pos >= 0 ? { epoch, pos } : null
}

export class Playback {
  private epochNo = 0
  private sent = 0
  private chunks: Array<Chunk> = []
  private anchor: { pos: number; at: number } | null = null
  private items: Array<ItemSpan> = []
  private active: string | null = null
  private readonly cancelled: Array<string> = []

  get epoch(): number {
    return this.epochNo
  }

  /** ms of audio sent to Twilio since the last clear. */
  get sentMs(): number {
    return this.sent / BYTES_PER_MS
  }

  get activeResponseId(): string | null {
    return this.active
  }

  isCancelled(responseId: string): boolean {
    return this.cancelled.includes(responseId)
  }

  responseStarted(responseId: string): void {
    if (!this.isCancelled(responseId)) this.active = responseId
  }

  responseDone(responseId: string): void {
    if (this.active === responseId) this.active = null
  }

  /** A model audio delta of `bytes` μ-law bytes: forward it (then send the mark) or drop it as stale. */
  audio(responseId: string, itemId: string, bytes: number, now: number): AudioDecision {
    if (this.isCancelled(responseId)) return { forward: false }
    // A newer response supersedes the one we thought was playing.
    this.active = responseId
    const start = this.sent
    this.sent += bytes
    this.chunks.push({ start, end: this.sent, sentAt: now })
    const last = this.items.at(-1)
    if (last && last.itemId === itemId && last.responseId === responseId) last.end = this.sent
    else this.items.push({ itemId, responseId, start, end: this.sent })
    return { forward: true, mark: `${this.epochNo}${SEP}${this.sent}${SEP}${itemId}` }
  }

  /** Twilio echoed a mark at `now`. Marks from before a clear (or nonsense) are ignored. */
  mark(name: string, now: number): boolean {
    const m = parseMark(name)
    if (!m || m.epoch !== this.epochNo || m.pos > this.sent) return false
    if (this.anchor && m.pos < this.anchor.pos) return false
    this.anchor = { pos: m.pos, at: now }
    let drop = 0
    while (drop < this.chunks.length && this.chunks[drop]!.end <= m.pos) drop++
    if (drop) this.chunks.splice(0, drop)
    return true
  }

  /** Heard position of the current timeline at `now`, in bytes. */
  private heardBytes(now: number): number {
    let pos = this.anchor?.pos ?? 0
    let clock = this.anchor?.at ?? Number.NEGATIVE_INFINITY
    for (const c of this.chunks) {
      if (c.end <= pos) continue
      const start = Math.max(clock, c.sentAt)
      if (now <= start) break
      const from = Math.max(pos, c.start)
      const durMs = (c.end - from) / BYTES_PER_MS
      const playedMs = Math.min(durMs, now - start)
      pos = from + playedMs * BYTES_PER_MS
      clock = start + durMs
      if (playedMs < durMs) break
    }
    return Math.min(pos, this.sent)
  }

  heardMs(now: number): number {
    return this.heardBytes(now) / BYTES_PER_MS
  }

  /** Audio sent but not yet heard at `now`, in ms. */
  unheardMs(now: number): number {
    return (this.sent - this.heardBytes(now)) / BYTES_PER_MS
  }

  /**
   * The caller started speaking (or a supervisor took over). Returns what to send — clear,
   * cancel, truncates — or null when the agent is silent and nothing is generating; starts a
   * new epoch so older marks and the cancelled response's late deltas are ignored.
   */
  bargeIn(now: number): BargeIn | null {
    const heard = this.heardBytes(now)
    const unheard = heard < this.sent
    if (!unheard && this.active === null) return null
    // An item's audio may sit in several spans of the timeline; what it heard is their sum.
    const byItem = new Map<string, { played: number; pending: boolean }>()
    for (const span of this.items) {
      const entry = byItem.get(span.itemId) ?? { played: 0, pending: false }
      entry.played += Math.min(Math.max(0, heard - span.start), span.end - span.start)
      entry.pending ||= span.end > heard || span.responseId === this.active
      byItem.set(span.itemId, entry)
    }
    const truncates: Array<Truncate> = []
    for (const [itemId, e] of byItem) if (e.pending) truncates.push({ itemId, audioEndMs: Math.floor(e.played / BYTES_PER_MS) })
    const cancelResponseId = this.active ?? (unheard ? (this.items.at(-1)?.responseId ?? null) : null)
    for (const item of this.items) if (item.end > heard) this.remember(item.responseId)
    if (cancelResponseId) this.remember(cancelResponseId)
    const result: BargeIn = { clear: unheard, cancelResponseId, truncates, heardMs: heard / BYTES_PER_MS }
    this.epochNo++
    this.sent = 0
    this.chunks = []
    this.anchor = null
    this.items = []
    this.active = null
    return result
  }

  private remember(responseId: string): void {
    if (this.isCancelled(responseId)) return
    this.cancelled.push(responseId)
    if (this.cancelled.length > CANCELLED_KEPT) this.cancelled.shift()
  }
}
