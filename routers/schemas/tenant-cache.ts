import { z } from "zod"
import { AdminAuthTransportDiagnostics } from "./admin-auth.js"

const count = () => z.number().int().min(0)

export const AdminCachedTenantItem = z
  .object({
    tenant_id: z.string(),
    org_id: z.string().nullable().optional(),
    audio_output_provider: z.string(),
    active_sessions: count(),
    log_subscribers: count(),
    elevenlabs_configured: z.boolean(),
    elevenlabs_ready: z.boolean(),
    twilio_configured: z.boolean(),
    kafka_configured: z.boolean()
  })
  .meta({ id: "AdminCachedTenantItem" })

export const AdminCachedTenantsResponse = z
  .object({ ok: z.boolean(), count: count(), tenants: z.array(AdminCachedTenantItem) })
  .meta({ id: "AdminCachedTenantsResponse" })

export const AdminEvictIdleResponse = z.object({ ok: z.boolean(), evicted: count(), remaining: count() }).meta({ id: "AdminEvictIdleResponse" })

export const AdminReloadCachedTenantsResponse = z
  .object({
    ok: z.boolean(),
    attempted: count(),
    reloaded: count(),
    failures: z.array(z.object({ tenant_id: z.string(), error: z.string() }).meta({ id: "AdminReloadCachedFailure" }))
  })
  .meta({ id: "AdminReloadCachedTenantsResponse" })

export const AdminTenantCacheMetricsResponse = z
  .object({
    ok: z.boolean(),
    cache_entries: count(),
    hits: count(),
    misses: count(),
    reloads: count(),
    evictions: count(),
    auth_transport: AdminAuthTransportDiagnostics
  })
  .meta({ id: "AdminTenantCacheMetricsResponse" })

export const AdminTenantTokenCacheMetricsItem = z
  .object({
    cache_key: z.string().describe("Display prefix of the API key, or legacy:<hash prefix> for legacy tokens"),
    tenant_id: z.string().nullable().optional(),
    cache_present: z.boolean(),
    hits: count(),
    misses: count(),
    reloads: count(),
    evictions: count()
  })
  .meta({ id: "AdminTenantTokenCacheMetricsItem" })

export const AdminTenantTokenCacheMetricsResponse = z
  .object({ ok: z.boolean(), count: count(), items: z.array(AdminTenantTokenCacheMetricsItem) })
  .meta({ id: "AdminTenantTokenCacheMetricsResponse" })
