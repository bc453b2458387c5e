/**
 * Percentile and rate maths shared by the call runtime (per-call latency summaries) and the
 * analytics endpoints. `percentileCont` matches Postgres' `percentile_cont`: linear
 * interpolation between the two nearest ranks of the sorted values, so figures computed here
 * and figures aggregated in SQL agree.
 */

/** p in [0, 1]; `sorted` ascending. Null for no values. */
export function percentileCont(sorted: ReadonlyArray<number>, p: number): number | null {
  if (sorted.length === 0) return null
  if (!(p >= 0 && p <= 1)) throw new RangeError("percentile must be within [0, 1]")
  const rank = p * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = sorted[lo]!
  const b = sorted[hi]!
  return lo === hi ? a : a + (b - a) * (rank - lo)
}

export function mean(values: ReadonlyArray<number>): number | null {
  if (values.length === 0) return null
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** numerator / denominator, or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null
}

export interface LatencySummary {
  readonly avg_ms: number
  readonly p50_ms: number
  readonly p95_ms: number
  readonly p99_ms: number
  readonly max_ms: number
}

const finiteNonNegative = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0

/** Summary of one call's per-turn samples; null when the call produced none. */
export function summarizeLatency(samples: ReadonlyArray<number | null | undefined>): LatencySummary | null {
  const values = samples.filter(finiteNonNegative).sort((a, b) => a - b)
  if (values.length === 0) return null
  return {
    avg_ms: mean(values)!,
    p50_ms: percentileCont(values, 0.5)!,
    p95_ms: percentileCont(values, 0.95)!,
    p99_ms: percentileCont(values, 0.99)!,
    max_ms: values[values.length - 1]!
  }
}

export interface TurnLatency {
  readonly llm_first_token_ms?: number | null
  readonly e2e_first_audio_ms?: number | null
}

export interface CallLatencySummary {
  /** Turns that produced at least one latency sample. */
  readonly turns: number
  readonly llm_first_token: LatencySummary | null
  readonly e2e_first_audio: LatencySummary | null
}

/** What the call runtime stores with the final call log (PROTOCOLS.md latency definitions). */
export function summarizeTurnLatencies(turns: ReadonlyArray<TurnLatency>): CallLatencySummary {
  return {
    turns: turns.filter((t) => finiteNonNegative(t.llm_first_token_ms) || finiteNonNegative(t.e2e_first_audio_ms)).length,
    llm_first_token: summarizeLatency(turns.map((t) => t.llm_first_token_ms)),
    e2e_first_audio: summarizeLatency(turns.map((t) => t.e2e_first_audio_ms))
  }
}
