import { Effect } from "effect"
import { NotFound } from "./errors.js"
import { type TenantConfig, TenantsRepo } from "./TenantsRepo.js"

export interface CachedTenant {
  readonly tenantId: string
  readonly config: TenantConfig
  readonly etag: string
  readonly loadedAt: number
  lastAccessAt: number
}

interface Counters {
  hits: number
  misses: number
  reloads: number
  evictions: number
}

export interface TokenCounters extends Counters {
  readonly cacheKey: string
  tenantId: string
}

const zero = (): Counters => ({ hits: 0, misses: 0, reloads: 0, evictions: 0 })
const MAX_TOKEN_STATS = 10_000

/**
 * Active tenant configurations in memory, with the counters the admin metrics report.
 * Writes through the admin API refresh the entry; other instances see a change on reload.
 */
export class TenantCache extends Effect.Service<TenantCache>()("TenantCache", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* TenantsRepo
    const entries = new Map<string, CachedTenant>()
    const totals = zero()
    const byToken = new Map<string, TokenCounters>()

    const tokenStats = (cacheKey: string, tenantId: string) => {
      let s = byToken.get(cacheKey)
      if (!s) {
        if (byToken.size >= MAX_TOKEN_STATS) byToken.delete(byToken.keys().next().value!)
        s = { cacheKey, tenantId, ...zero() }
        byToken.set(cacheKey, s)
      }
      s.tenantId = tenantId
      return s
    }
    const bumpTokens = (tenantId: string, field: "reloads" | "evictions") => {
      for (const s of byToken.values()) if (s.tenantId === tenantId) s[field]++
    }

    const put = (tenantId: string, config: TenantConfig, etag: string): CachedTenant => {
      const now = Date.now()
      const entry: CachedTenant = { tenantId, config, etag, loadedAt: now, lastAccessAt: now }
      entries.set(tenantId, entry)
      return entry
    }

    /** The active config; a miss loads it from the database. `tokenKey` attributes the lookup for by-token metrics. */
    const get = (tenantId: string, tokenKey?: string) =>
      Effect.suspend(() => {
        const hit = entries.get(tenantId)
        if (hit) {
          totals.hits++
          if (tokenKey) tokenStats(tokenKey, tenantId).hits++
          hit.lastAccessAt = Date.now()
          return Effect.succeed(hit)
        }
        totals.misses++
        if (tokenKey) tokenStats(tokenKey, tenantId).misses++
        return repo.find(tenantId).pipe(
          Effect.flatMap((row) =>
            row ? Effect.succeed(put(row.tenant_id, row.config, row.etag)) : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))
          )
        )
      })

    /** Re-reads one tenant; a tenant gone from the database is evicted. */
    const reload = (tenantId: string) =>
      repo.find(tenantId).pipe(
        Effect.flatMap((row) => {
          if (!row) {
            if (entries.delete(tenantId)) {
              totals.evictions++
              bumpTokens(tenantId, "evictions")
            }
            return Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))
          }
          totals.reloads++
          bumpTokens(tenantId, "reloads")
          return Effect.succeed(put(row.tenant_id, row.config, row.etag))
        })
      )

    const refresh = (tenantId: string, config: TenantConfig, etag: string) =>
      Effect.sync(() => {
        if (entries.has(tenantId)) {
          totals.reloads++
          bumpTokens(tenantId, "reloads")
        }
        put(tenantId, config, etag)
      })

    const evict = (tenantId: string) =>
      Effect.sync(() => {
        if (entries.delete(tenantId)) {
          totals.evictions++
          bumpTokens(tenantId, "evictions")
        }
      })

    const evictIdle = (maxIdleSeconds: number) =>
      Effect.sync(() => {
        const cutoff = Date.now() - maxIdleSeconds * 1000
        let evicted = 0
        for (const [id, e] of entries) {
          if (e.lastAccessAt <= cutoff) {
            entries.delete(id)
            bumpTokens(id, "evictions")
            evicted++
          }
        }
        totals.evictions += evicted
        return { evicted, remaining: entries.size }
      })

    const cached = Effect.sync(() => [...entries.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId)))
    const metrics = Effect.sync(() => ({ entries: entries.size, ...totals }))
    const tokenMetrics = (limit: number) =>
      Effect.sync(() =>
        [...byToken.values()]
          .sort((a, b) => b.hits + b.misses - (a.hits + a.misses))
          .slice(0, limit)
          .map((s) => ({ ...s, cachePresent: entries.has(s.tenantId) }))
      )

    return { get, reload, refresh, evict, evictIdle, cached, metrics, tokenMetrics } as const
  }),
  dependencies: [TenantsRepo.Default]
}) {}
