import { Config, Effect } from "effect"

export type Counter =
  | "requests_total"
  | "successes_total"
  | "failures_total"
  | "explicit_token_success"
  | "explicit_token_invalid"
  | "hint_cache_lookups"
  | "hint_cache_hits"
  | "hint_cache_misses"
  | "hint_cache_expired"
  | "hint_cache_signature_mismatch"
  | "hint_cache_stale_token"
  | "signature_lookup_success"
  | "signature_lookup_tenant_load_error"
  | "signature_lookup_not_found"
  | "signature_lookup_candidates_evaluated_total"

const COUNTERS: ReadonlyArray<Counter> = [
  "requests_total", "successes_total", "failures_total", "explicit_token_success", "explicit_token_invalid",
  "hint_cache_lookups", "hint_cache_hits", "hint_cache_misses", "hint_cache_expired", "hint_cache_signature_mismatch",
  "hint_cache_stale_token", "signature_lookup_success", "signature_lookup_tenant_load_error", "signature_lookup_not_found",
  "signature_lookup_candidates_evaluated_total"
]

export interface HintEntry {
  readonly tenantId: string
  /** Fingerprint of the auth token the entry was verified with; a changed token makes it stale. */
  readonly tokenFingerprint: string
  readonly expiresAt: number
}

const zero = () => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>
const rate = (num: number, den: number) => (den === 0 ? 0 : Math.round((num / den) * 10_000) / 10_000)

/**
 * The number → tenant hint cache of Twilio webhooks (bounded, TTL) and the resolution counters
 * behind `GET /api/v1/admin/twilio/webhook-diagnostics`. Per process, like the tenant cache.
 */
export class WebhookDiagnostics extends Effect.Service<WebhookDiagnostics>()("WebhookDiagnostics", {
  accessors: true,
  effect: Effect.gen(function* () {
    const maxEntries = yield* Config.integer("TWILIO_WEBHOOK_HINT_CACHE_MAX_ENTRIES").pipe(Config.withDefault(10_000), Effect.orDie)
    const ttlSecs = yield* Config.integer("TWILIO_WEBHOOK_HINT_CACHE_TTL_SECS").pipe(Config.withDefault(300), Effect.orDie)
    const hints = new Map<string, HintEntry>()
    let counters = zero()

    const bump = (c: Counter, by = 1) => {
      counters[c] += by
    }

    /** A live entry, or undefined (counting the lookup, hit/miss and expiry). */
    const lookup = (key: string): HintEntry | undefined => {
      bump("hint_cache_lookups")
      const entry = hints.get(key)
      if (entry && entry.expiresAt > Date.now()) {
        bump("hint_cache_hits")
        return entry
      }
      if (entry) {
        hints.delete(key)
        bump("hint_cache_expired")
      }
      bump("hint_cache_misses")
      return undefined
    }

    const remember = (key: string, tenantId: string, tokenFingerprint: string) => {
      hints.delete(key)
      // Oldest first out: Map iteration order is insertion order.
      while (hints.size >= maxEntries && hints.size > 0) hints.delete(hints.keys().next().value!)
      if (maxEntries > 0) hints.set(key, { tenantId, tokenFingerprint, expiresAt: Date.now() + ttlSecs * 1000 })
    }

    const forget = (key: string) => void hints.delete(key)

    const cacheSnapshot = () => ({ entries: hints.size, max_entries: maxEntries, ttl_secs: ttlSecs })

    const resolutionSnapshot = () => ({
      ...counters,
      success_rate: rate(counters.successes_total, counters.requests_total),
      hint_cache_hit_rate: rate(counters.hint_cache_hits, counters.hint_cache_lookups)
    })

    const clear = () => {
      const removed = hints.size
      hints.clear()
      return removed
    }

    const clearCache = Effect.sync(() => ({ removed_entries: clear(), hint_cache: cacheSnapshot() }))

    const snapshot = Effect.sync(() => ({ hint_cache: cacheSnapshot(), resolution: resolutionSnapshot() }))

    const resetCounters = (alsoClearCache: boolean) =>
      Effect.sync(() => {
        counters = zero()
        const removed = alsoClearCache ? clear() : 0
        return { cleared_hint_cache: alsoClearCache, removed_hint_cache_entries: removed, hint_cache: cacheSnapshot(), resolution: resolutionSnapshot() }
      })

    return { bump, lookup, remember, forget, clearCache, snapshot, resetCounters } as const
  })
}) {}
