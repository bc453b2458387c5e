import { Effect } from "effect"
import { AppConfig } from "./AppConfig.js"
import { RateLimited } from "./errors.js"

interface Window {
  startedAt: number
  count: number
}

const WINDOW_MS = 60_000
const MAX_KEYS = 100_000

/**
 * Fixed one-minute windows per key, in memory. A sweep drops expired windows so a
 * scan of random IPs cannot grow the map without bound.
 */
export class RateLimiter extends Effect.Service<RateLimiter>()("RateLimiter", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const windows = new Map<string, Window>()
    const limits = { ip: config.rateLimitPerIpPerMinute, tenant: config.rateLimitPerTenantPerMinute }

    const sweep = (now: number) => {
      for (const [k, w] of windows) if (now - w.startedAt >= WINDOW_MS) windows.delete(k)
    }

    const check = (scope: "ip" | "tenant", key: string) =>
      Effect.suspend(() => {
        const now = Date.now()
        const id = `${scope}:${key}`
        let w = windows.get(id)
        if (!w || now - w.startedAt >= WINDOW_MS) {
          if (windows.size >= MAX_KEYS) sweep(now)
          w = { startedAt: now, count: 0 }
          windows.set(id, w)
        }
        w.count++
        if (w.count <= limits[scope]) return Effect.void
        const retryAfterSeconds = Math.max(1, Math.ceil((w.startedAt + WINDOW_MS - now) / 1000))
        return Effect.fail(new RateLimited({ scope, retryAfterSeconds }))
      })

    return { check } as const
  })
}) {}
