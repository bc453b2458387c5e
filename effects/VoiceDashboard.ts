import { Effect } from "effect"
import { TenantCache } from "./TenantCache.js"
import { audioOutputProvider, elevenlabsConfigured } from "./Tenants.js"
import { type TenantConfig, TenantsRepo } from "./TenantsRepo.js"

/** Upper bound of one full scan of the tenants table (admin-only, on request). */
const MAX_SCAN = 100_000

export interface AudioProviderItem {
  readonly tenant_id: string
  readonly cached: boolean
  readonly configured_provider: "openai" | "elevenlabs"
  readonly effective_provider: "openai" | "elevenlabs"
  readonly fallback_active: boolean
  readonly fallback_reason: "elevenlabs_not_configured" | "elevenlabs_unavailable" | null
  readonly elevenlabs_configured: boolean
  readonly elevenlabs_ready: boolean
  readonly active_sessions: number
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null)

/**
 * ElevenLabs output needs an API key (configured) and a voice to speak with (ready). A tenant
 * that asks for ElevenLabs without both falls back to the realtime model's own audio.
 */
export const audioProviderItem = (tenantId: string, config: TenantConfig, cached: boolean): AudioProviderItem => {
  const configured = audioOutputProvider(config)
  const elevenlabs_configured = elevenlabsConfigured(config)
  const el = typeof config.elevenlabs === "object" && config.elevenlabs !== null ? (config.elevenlabs as Record<string, unknown>) : {}
  const elevenlabs_ready = elevenlabs_configured && str(el.voice_id) !== null
  const effective = configured === "elevenlabs" && elevenlabs_ready ? "elevenlabs" : "openai"
  const fallback = configured !== effective
  return {
    tenant_id: tenantId,
    cached,
    configured_provider: configured,
    effective_provider: effective,
    fallback_active: fallback,
    fallback_reason: !fallback ? null : elevenlabs_configured ? "elevenlabs_unavailable" : "elevenlabs_not_configured",
    elevenlabs_configured,
    elevenlabs_ready,
    // Live calls are not tracked by this service; 0 until a live-call registry reports them.
    active_sessions: 0
  }
}

/** Admin dashboard views computed from the stored tenant documents and the active tenant cache. */
export class VoiceDashboard extends Effect.Service<VoiceDashboard>()("VoiceDashboard", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* TenantsRepo
    const cache = yield* TenantCache

    /**
     * Every tenant with what the dashboard needs to act as it. `auth_token` is the tenant's
     * legacy bearer token as stored (the contract returns it to admins), "" when it has none.
     */
    const bootstrap = repo.list(MAX_SCAN, 0).pipe(
      Effect.map(({ rows }) =>
        rows.map((r) => ({
          tenant_id: r.tenant_id,
          auth_token: str(r.config.auth_token) ?? "",
          display_name: str(r.config.display_name) ?? str(r.config.name),
          org_id: str(r.config.org_id)
        }))
      )
    )

    /** Cached tenants always; with `includeUncached`, also stored tenants not in the cache. Totals cover all evaluated tenants, `items` the first `limit`. */
    const audioProviders = (limit: number, includeUncached: boolean) =>
      Effect.gen(function* () {
        const cached = yield* cache.cached
        const cachedIds = new Set(cached.map((e) => e.tenantId))
        const uncached = includeUncached ? (yield* repo.list(MAX_SCAN, 0)).rows.filter((r) => !cachedIds.has(r.tenant_id)) : []
        const all = [
          ...cached.map((e) => audioProviderItem(e.tenantId, e.config, true)),
          ...uncached.map((r) => audioProviderItem(r.tenant_id, r.config, false))
        ].sort((a, b) => a.tenant_id.localeCompare(b.tenant_id))
        const count = (p: (i: AudioProviderItem) => boolean) => all.filter(p).length
        const items = all.slice(0, limit)
        return {
          cached_tenants: cached.length,
          uncached_tenants: uncached.length,
          evaluated_tenants: all.length,
          include_uncached_requested: includeUncached,
          uncached_scan_supported: true,
          configured_openai: count((i) => i.configured_provider === "openai"),
          configured_elevenlabs: count((i) => i.configured_provider === "elevenlabs"),
          effective_openai: count((i) => i.effective_provider === "openai"),
          effective_elevenlabs: count((i) => i.effective_provider === "elevenlabs"),
          fallback_active: count((i) => i.fallback_active),
          fallback_not_configured: count((i) => i.fallback_reason === "elevenlabs_not_configured"),
          fallback_unavailable: count((i) => i.fallback_reason === "elevenlabs_unavailable"),
          count: items.length,
          items
        }
      })

    return { bootstrap, audioProviders } as const
  }),
  dependencies: [TenantsRepo.Default, TenantCache.Default]
}) {}
