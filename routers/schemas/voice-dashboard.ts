import { z } from "zod"

const count = () => z.number().int().min(0)

export const AdminVoiceDashboardTenant = z
  .object({
    tenant_id: z.string(),
    auth_token: z.string().describe("The tenant's legacy bearer token (returned to admins only); empty when none is configured"),
    display_name: z.string().nullable().optional(),
    org_id: z.string().nullable().optional()
  })
  .meta({ id: "AdminVoiceDashboardTenant" })

export const AdminVoiceDashboardBootstrapResponse = z
  .object({
    ok: z.boolean(),
    actor: z.string().describe("Who is signed in: the admin session's username, or 'admin_key'"),
    count: count(),
    tenants: z.array(AdminVoiceDashboardTenant)
  })
  .meta({ id: "AdminVoiceDashboardBootstrapResponse" })

export const AdminAudioProviderDiagnosticsItem = z
  .object({
    tenant_id: z.string(),
    cached: z.boolean(),
    configured_provider: z.string().describe("audio_output_provider from the tenant config (openai when unset)"),
    effective_provider: z.string().describe("The provider calls actually use"),
    fallback_active: z.boolean(),
    fallback_reason: z.string().nullable().optional().describe("elevenlabs_not_configured (no API key) or elevenlabs_unavailable (no voice_id)"),
    elevenlabs_configured: z.boolean(),
    elevenlabs_ready: z.boolean(),
    active_sessions: count()
  })
  .meta({ id: "AdminAudioProviderDiagnosticsItem" })

export const AdminAudioProviderDiagnosticsResponse = z
  .object({
    ok: z.boolean(),
    cached_tenants: count(),
    uncached_tenants: count(),
    evaluated_tenants: count(),
    include_uncached_requested: z.boolean(),
    uncached_scan_supported: z.boolean(),
    configured_openai: count(),
    configured_elevenlabs: count(),
    effective_openai: count(),
    effective_elevenlabs: count(),
    fallback_active: count(),
    fallback_not_configured: count(),
    fallback_unavailable: count(),
    count: count(),
    items: z.array(AdminAudioProviderDiagnosticsItem)
  })
  .meta({ id: "AdminAudioProviderDiagnosticsResponse" })
