import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { mean, percentileCont, rate, summarizeLatency, summarizeTurnLatencies } from "../../src/domain/percentiles.js"

/**
 * Reference: the textbook definition of Postgres' percentile_cont, written without the
 * implementation's shortcuts: position (n - 1) * p, interpolate between the two neighbours.
 */
const reference = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * p
  const below = s[Math.floor(pos)]!
  const above = s[Math.min(s.length - 1, Math.floor(pos) + 1)]!
  return below + (above - below) * (pos - Math.floor(pos))
}

const finite = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })

describe("percentileCont", () => {
  it("matches Postgres on known inputs", () => {
    // SELECT percentile_cont(p) WITHIN GROUP (ORDER BY x) FROM generate_series(1, 100) x
    const xs = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentileCont(xs, 0.5)).toBe(50.5)
    expect(percentileCont(xs, 0.95)).toBeCloseTo(95.05, 10)
    expect(percentileCont(xs, 0.99)).toBeCloseTo(99.01, 10)
    expect(percentileCont([7], 0.99)).toBe(7)
    expect(percentileCont([], 0.5)).toBeNull()
  })

  test.prop([fc.array(finite, { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true })])("equals the reference", (xs, p) => {
    const sorted = [...xs].sort((a, b) => a - b)
    expect(percentileCont(sorted, p)).toBeCloseTo(reference(xs, p)!, 6)
  })

  test.prop([fc.array(finite, { minLength: 1, maxLength: 100 })])("is monotonic in p and bounded by min/max", (xs) => {
    const sorted = [...xs].sort((a, b) => a - b)
    const p50 = percentileCont(sorted, 0.5)!
    const p95 = percentileCont(sorted, 0.95)!
    const p99 = percentileCont(sorted, 0.99)!
    expect(p50).toBeLessThanOrEqual(p95 + 1e-9)
    expect(p95).toBeLessThanOrEqual(p99 + 1e-9)
    expect(p99).toBeLessThanOrEqual(sorted[sorted.length - 1]! + 1e-9)
    expect(p50).toBeGreaterThanOrEqual(sorted[0]! - 1e-9)
  })
})

describe("rate and mean", () => {
  test.prop([fc.nat(1000), fc.nat(1000)])("rate is numerator/denominator or null for no denominator", (a, b) => {
    expect(rate(a, b)).toBe(b === 0 ? null : a / b)
  })

  it("mean", () => {
    expect(mean([])).toBeNull()
    expect(mean([1, 2, 3, 4])).toBe(2.5)
  })
})

describe("summarizeLatency", () => {
  test.prop([fc.array(fc.oneof(finite, fc.constantFrom(null, undefined, NaN, -5, Infinity)), { maxLength: 60 })])(
    "ignores unusable samples and summarizes the rest like the reference",
    (samples) => {
      const usable = samples.filter((v): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0)
      const s = summarizeLatency(samples)
      if (usable.length === 0) {
        expect(s).toBeNull()
        return
      }
      expect(s!.avg_ms).toBeCloseTo(usable.reduce((a, b) => a + b, 0) / usable.length, 6)
      expect(s!.p50_ms).toBeCloseTo(reference(usable, 0.5)!, 6)
      expect(s!.p95_ms).toBeCloseTo(reference(usable, 0.95)!, 6)
      expect(s!.p99_ms).toBeCloseTo(reference(usable, 0.99)!, 6)
      expect(s!.max_ms).toBe(Math.max(...usable))
    }
  )

  it("summarizes a call's turns per metric", () => {
    const s = summarizeTurnLatencies([
      { llm_first_token_ms: 100, e2e_first_audio_ms: 400 },
      { llm_first_token_ms: 300, e2e_first_audio_ms: null },
      { llm_first_token_ms: null, e2e_first_audio_ms: null }
    ])
    expect(s.turns).toBe(2)
    expect(s.llm_first_token).toEqual({ avg_ms: 200, p50_ms: 200, p95_ms: 290, p99_ms: 298, max_ms: 300 })
    expect(s.e2e_first_audio).toEqual({ avg_ms: 400, p50_ms: 400, p95_ms: 400, p99_ms: 400, max_ms: 400 })
  })
})
