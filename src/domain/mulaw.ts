/** G.711 μ-law helpers: 8 kHz, one byte per sample, so 8 bytes = 1 ms. */

export const BYTES_PER_MS = 8
export const FRAME_MS = 20
export const FRAME_BYTES = FRAME_MS * BYTES_PER_MS

/** μ-law byte → 16-bit linear sample (ITU-T G.711). */
export const mulawToLinear = (byte: number): number => {
  const u = ~byte & 0xff
  const sign = u & 0x80
  const exponent = (u >> 4) & 0x07
  const mantissa = u & 0x0f
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
  return sign ? -magnitude : magnitude
}

const LINEAR = Int16Array.from({ length: 256 }, (_, b) => mulawToLinear(b))

/** 16-bit linear sample → μ-law byte. */
export const linearToMulaw = (sample: number): number => {
  const BIAS = 0x84
  const CLIP = 32635
  const sign = sample < 0 ? 0x80 : 0
  let s = Math.min(Math.abs(Math.trunc(sample)), CLIP) + BIAS
  let exponent = 7
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (s >> (exponent + 3)) & 0x0f
  s = ~(sign | (exponent << 4) | mantissa) & 0xff
  return s
}

/** Mean absolute amplitude of a μ-law buffer (0 for digital silence). */
export const meanAmplitude = (bytes: Uint8Array): number => {
  if (bytes.length === 0) return 0
  let sum = 0
  for (let i = 0; i < bytes.length; i++) sum += Math.abs(LINEAR[bytes[i]!]!)
  return sum / bytes.length
}

/** Voice-activity threshold on mean amplitude; line noise sits far below it. */
export const isSpeech = (bytes: Uint8Array, threshold = 500): boolean => meanAmplitude(bytes) >= threshold

/** Decoded length of a base64 string without decoding it (the hot path only needs the count). */
export const base64ByteLength = (b64: string): number => {
  const n = b64.length
  if (n === 0) return 0
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0
  return Math.floor((n * 3) / 4) - padding
}

export const msOfBytes = (bytes: number): number => bytes / BYTES_PER_MS

/** One frame of μ-law silence (0xFF is zero amplitude). */
export const silenceFrame = (bytes = FRAME_BYTES): Uint8Array => new Uint8Array(bytes).fill(0xff)

/** A steady tone frame: non-silent audio for simulated speech. */
export const toneFrame = (bytes = FRAME_BYTES, amplitude = 8000, hz = 440, phaseSamples = 0): Uint8Array => {
  const out = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i++) out[i] = linearToMulaw(amplitude * Math.sin((2 * Math.PI * hz * (i + phaseSamples)) / 8000))
  return out
}
