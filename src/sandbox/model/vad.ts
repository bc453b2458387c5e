import { isSpeech } from "../../domain/mulaw.js"

export type VadEvent = { readonly kind: "started"; readonly atMs: number } | { readonly kind: "stopped"; readonly atMs: number }

/** Server-VAD stand-in: speech while frames are loud, stopped after `silenceMs` of quiet. */
export class SimpleVad {
  private totalMs = 0
  private speaking = false
  private quietMs = 0

  constructor(public silenceMs: number) {}

  push(bytes: Uint8Array): VadEvent | null {
    const ms = bytes.length / 8
    const loud = isSpeech(bytes)
    const at = this.totalMs
    this.totalMs += ms
    if (loud) {
      this.quietMs = 0
      if (!this.speaking) {
        this.speaking = true
        return { kind: "started", atMs: at }
      }
      return null
    }
    if (!this.speaking) return null
    this.quietMs += ms
    if (this.quietMs < this.silenceMs) return null
    this.speaking = false
    this.quietMs = 0
    return { kind: "stopped", atMs: this.totalMs }
  }
}
