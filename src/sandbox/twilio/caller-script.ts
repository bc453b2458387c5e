import { FRAME_BYTES, FRAME_MS, linearToMulaw } from "../../domain/mulaw.js"

/**
 * What the simulated caller does, in order. Between steps (and during `wait_*`) the caller
 * line is silent but keeps streaming: Twilio sends inbound media for the whole call.
 */
export type CallerStep =
  /** Talk for `ms`: a voiced tone loud enough for any VAD, or the given μ-law audio. */
  | { readonly kind: "speak"; readonly ms?: number; readonly audio?: Uint8Array; readonly label?: string }
  | { readonly kind: "silence"; readonly ms: number }
  | { readonly kind: "dtmf"; readonly digit: string }
  /** Stay on the line until the agent has played at least `ms` of audio to us (or `timeoutMs`). */
  | { readonly kind: "wait_for_agent_audio"; readonly ms?: number; readonly timeoutMs?: number }
  /** Stay on the line until the agent's queued audio has finished playing (or `timeoutMs`). */
  | { readonly kind: "wait_for_playback_idle"; readonly timeoutMs?: number }
  | { readonly kind: "hangup" }

export type CallerScript = ReadonlyArray<CallerStep>

/** Greet-and-listen: wait for the agent, say something, listen to the answer, hang up. */
export const DEFAULT_SCRIPT: CallerScript = [
  { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 },
  { kind: "wait_for_playback_idle", timeoutMs: 10_000 },
  { kind: "speak", ms: 1200, label: "caller question" },
  { kind: "silence", ms: 600 },
  { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 8000 },
  { kind: "wait_for_playback_idle", timeoutMs: 15_000 },
  { kind: "hangup" }
]

const SILENCE_BYTE = 0xff
const SAMPLE_RATE = 8000

export const silenceFrame = (): Uint8Array => new Uint8Array(FRAME_BYTES).fill(SILENCE_BYTE)

/**
 * `ms` of a voiced-sounding signal (a 180 Hz fundamental with two harmonics, slow amplitude
 * wobble) as 20 ms μ-law frames. Deterministic, so tests can compare what arrived.
 */
export const voiceFrames = (ms: number, startSample = 0): Array<Uint8Array> => {
  const frames: Array<Uint8Array> = []
  const count = Math.max(1, Math.round(ms / FRAME_MS))
  for (let f = 0; f < count; f++) {
    const frame = new Uint8Array(FRAME_BYTES)
    for (let i = 0; i < FRAME_BYTES; i++) {
      const t = (startSample + f * FRAME_BYTES + i) / SAMPLE_RATE
      const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)
      const s = Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t) + 0.25 * Math.sin(2 * Math.PI * 540 * t)
      frame[i] = linearToMulaw(Math.round(6000 * envelope * s))
    }
    frames.push(frame)
  }
  return frames
}

/** Splits μ-law audio into 20 ms frames, padding the last one with silence. */
export const framesOf = (audio: Uint8Array): Array<Uint8Array> => {
  const frames: Array<Uint8Array> = []
  for (let i = 0; i < audio.length; i += FRAME_BYTES) {
    const frame = silenceFrame()
    frame.set(audio.subarray(i, Math.min(audio.length, i + FRAME_BYTES)))
    frames.push(frame)
  }
  return frames
}
