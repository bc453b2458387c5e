import { SendTimes } from "./frames.js"

/** Everything both fakes (Twilio side and model side) learn about one call. */
export class CallMetrics {
  readonly inSendTimes = new SendTimes()
  readonly outSendTimes = new SendTimes()
  inSent = 0
  inReceived = 0
  inOutOfOrder = 0
  lastInSeq = -1
  outSent = 0
  /** Agent frames the system should deliver: all of them, except (with barge-in logic) those sent after the caller started speaking over their response. */
  outDeliverable = 0
  outReceived = 0
  /** Frames of a cleared response that reached the fake Twilio after its `clear`. */
  staleAfterClear = 0
  clears = 0
  /** What the fake Twilio had played of each response when `clear` arrived, ms. */
  readonly playedAtClear = new Map<number, number>()
  readonly truncates: Array<{ readonly resp: number; readonly audioEndMs: number }> = []
  truncatesRefused = 0
  modelErrors = 0
  started = false
  ended = false

  constructor(readonly index: number) {}
}

/** Samples and counters of one measured run, shared by all calls. */
export class RunSamples {
  measuring = false
  readonly modelToTwilio: Array<number> = []
  readonly twilioToModel: Array<number> = []
}

export const percentile = (xs: ReadonlyArray<number>, p: number): number => {
  if (xs.length === 0) return Number.NaN
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
}

export const median = (xs: ReadonlyArray<number>): number => {
  const v = xs.filter((x) => !Number.isNaN(x))
  return v.length === 0 ? Number.NaN : percentile(v, 0.5)
}

/** audio_end_ms − what the fake Twilio had played when `clear` arrived, for every truncate of a response it cleared. */
export const truncateErrors = (calls: ReadonlyArray<CallMetrics>): Array<number> => {
  const out: Array<number> = []
  for (const c of calls)
    for (const t of c.truncates) {
      const played = c.playedAtClear.get(t.resp)
      if (played !== undefined) out.push(t.audioEndMs - played)
    }
  return out
}
