import { normalizeScore } from "./eval-score.js"
import type { Parsed } from "./pagination.js"

/** The thresholds an admin sets for an agent's rollout governance. */
export interface RolloutPolicyInput {
  readonly enabled: boolean
  readonly lookback_hours: number
  readonly min_avg_score: number
  readonly min_eval_count: number
  readonly min_high_quality_rate?: number | null | undefined
}

export const MAX_LOOKBACK_HOURS = 24 * 365

/**
 * The policy as stored, or why it cannot be. `min_avg_score` is read like an evaluation score
 * (0–1 as a fraction, above 1 up to 100 as a percentage) and stored on the evaluations' 0–1
 * scale, so the governance comparison needs no conversion; a rate is a fraction 0–1.
 */
export const normalizeRolloutPolicy = (p: RolloutPolicyInput): Parsed<RolloutPolicyInput & { readonly min_high_quality_rate: number | null }> => {
  if (!Number.isInteger(p.lookback_hours) || p.lookback_hours < 1 || p.lookback_hours > MAX_LOOKBACK_HOURS) {
    return { ok: false, error: `lookback_hours must be an integer from 1 to ${MAX_LOOKBACK_HOURS}` }
  }
  if (!Number.isInteger(p.min_eval_count) || p.min_eval_count < 0 || p.min_eval_count > 1_000_000) {
    return { ok: false, error: "min_eval_count must be an integer from 0 to 1000000" }
  }
  const rate = p.min_high_quality_rate ?? null
  if (rate !== null && (!Number.isFinite(rate) || rate < 0 || rate > 1)) {
    return { ok: false, error: "min_high_quality_rate must be a number from 0 to 1, or null" }
  }
  const score = normalizeScore(p.min_avg_score, "min_avg_score")
  return score.ok ? { ok: true, value: { ...p, min_avg_score: score.value, min_high_quality_rate: rate } } : score
}
