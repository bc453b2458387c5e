import type { Parsed } from "./pagination.js"

/**
 * Evaluation scores are stored on 0..1. Callers may send either scale: a score up to 1 is read
 * as a fraction (1 = perfect), a score above 1 and up to 100 as a percentage (85 → 0.85).
 * The same rule reads the min_score / max_score filters, so a filter matches what was sent.
 */
export function normalizeScore(raw: number, name = "score"): Parsed<number> {
  if (!Number.isFinite(raw) || raw < 0 || raw > 100) return { ok: false, error: `${name} must be a number in 0..1 (fraction) or 0..100 (percent)` }
  return { ok: true, value: raw <= 1 ? raw : raw / 100 }
}

/** An evaluation at or above this normalised score counts as high quality. */
export const HIGH_QUALITY_SCORE = 0.8
