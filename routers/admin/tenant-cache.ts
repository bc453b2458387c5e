import { z } from "zod"
import { StreamAuth } from "../../effects/StreamAuth.js"
import { TenantCache } from "../../effects/TenantCache.js"
import { audioOutputProvider, elevenlabsConfigured, Tenants, twilioConfigured } from "../../effects/Tenants.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { NoInput, optionalInt } from "../schemas/common.js"
import {
  AdminCachedTenantsResponse,
  AdminEvictIdleResponse,
  AdminReloadCachedTenantsResponse,
  AdminTenantCacheMetricsResponse,
  AdminTenantTokenCacheMetricsResponse
} from "../schemas/tenant-cache.js"
import { router, run } from "../trpc.js"

export const tenantCacheRouter = router({
  cached: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/cached", operationId: "list_cached_tenants", summary: "List Cached Tenants", errors: [401, 404], responseSchema: "AdminCachedTenantsResponse" }))
    .input(NoInput)
    .output(AdminCachedTenantsResponse)
    .query(async ({ ctx }) => {
      const entries = await run(ctx, TenantCache.cached)
      const tenants = entries.map((e) => ({
        tenant_id: e.tenantId,
        org_id: typeof e.config.org_id === "string" ? e.config.org_id : null,
        audio_output_provider: audioOutputProvider(e.config),
        active_sessions: 0,
        log_subscribers: 0,
        elevenlabs_configured: elevenlabsConfigured(e.config),
        elevenlabs_ready: elevenlabsConfigured(e.config) && audioOutputProvider(e.config) === "elevenlabs",
        twilio_configured: twilioConfigured(e.config),
        kafka_configured: false
      }))
      return { ok: true, count: tenants.length, tenants }
    }),

  evictIdle: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/evict-idle", operationId: "evict_idle_tenants", summary: "Evict Idle Tenants", errors: [401, 404], responseSchema: "AdminEvictIdleResponse" }))
    .input(z.object({ max_idle_secs: optionalInt(0, 31_536_000, "Evict entries unused for at least this many seconds (default 3600)") }))
    .output(AdminEvictIdleResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, ...(await run(ctx, TenantCache.evictIdle(input.max_idle_secs ?? 3600))) })),

  reloadCached: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/reload-cached", operationId: "reload_cached_tenants", summary: "Reload Cached Tenants", errors: [401, 404], responseSchema: "AdminReloadCachedTenantsResponse" }))
    .input(NoInput)
    .output(AdminReloadCachedTenantsResponse)
    .mutation(async ({ ctx }) => ({ ok: true, ...(await run(ctx, Tenants.reloadCached)) })),

  metrics: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/cache-metrics", operationId: "get_cache_metrics", summary: "Get Cache Metrics", errors: [401, 404], responseSchema: "AdminTenantCacheMetricsResponse" }))
    .input(NoInput)
    .output(AdminTenantCacheMetricsResponse)
    .query(async ({ ctx }) => {
      const [m, auth_transport] = await Promise.all([run(ctx, TenantCache.metrics), run(ctx, StreamAuth.diagnostics)])
      return { ok: true, cache_entries: m.entries, hits: m.hits, misses: m.misses, reloads: m.reloads, evictions: m.evictions, auth_transport }
    }),

  metricsByToken: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/cache-metrics/by-token", operationId: "get_cache_metrics_by_token", summary: "Get Cache Metrics By Token", errors: [401, 404], responseSchema: "AdminTenantTokenCacheMetricsResponse" }))
    .input(z.object({ limit: optionalInt(0, 1000, "Maximum items (default 100)") }))
    .output(AdminTenantTokenCacheMetricsResponse)
    .query(async ({ ctx, input }) => {
      const items = (await run(ctx, TenantCache.tokenMetrics(input.limit ?? 100))).map((s) => ({
        cache_key: s.cacheKey,
        tenant_id: s.tenantId,
        cache_present: s.cachePresent,
        hits: s.hits,
        misses: s.misses,
        reloads: s.reloads,
        evictions: s.evictions
      }))
      return { ok: true, count: items.length, items }
    })
})
