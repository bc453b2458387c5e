import { z } from "zod"

export const TenantApiKeyMetadata = z
  .object({
    id: z.string().uuid(),
    key_prefix: z.string().describe("First characters of the key, safe to display"),
    label: z.string().nullable().optional(),
    created_at: z.string().datetime({ offset: true }),
    last_used_at: z.string().datetime({ offset: true }).nullable().optional(),
    revoked_at: z.string().datetime({ offset: true }).nullable().optional()
  })
  .meta({ id: "TenantApiKeyMetadata" })

export const AdminTenantApiKeysResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), api_keys: z.array(TenantApiKeyMetadata) })
  .meta({ id: "AdminTenantApiKeysResponse" })

export const CreateTenantApiKey = z.object({ label: z.string().max(200).nullable().optional() }).meta({ id: "CreateTenantApiKey" })

export const CreatedTenantApiKey = z
  .object({ api_key: TenantApiKeyMetadata, token: z.string().describe("The key itself; shown only in this response") })
  .meta({ id: "CreatedTenantApiKey" })

export const AdminCreatedTenantApiKeyResponse = z
  .object({ ok: z.boolean(), created: CreatedTenantApiKey })
  .meta({ id: "AdminCreatedTenantApiKeyResponse" })

export const AdminTenantApiKeyResponse = z
  .object({ ok: z.boolean(), api_key: TenantApiKeyMetadata })
  .meta({ id: "AdminTenantApiKeyResponse" })

export const AdminLoginRequest = z.object({ username: z.string().max(200), password: z.string().max(1000) }).meta({ id: "AdminLoginRequest" })
export const AdminLoginResponse = z.object({ ok: z.boolean(), username: z.string() }).meta({ id: "AdminLoginResponse" })

export const AdminSessionStatusResponse = z
  .object({
    ok: z.boolean(),
    login_enabled: z.boolean(),
    workos_enabled: z.boolean(),
    authenticated: z.boolean(),
    username: z.string().nullable().optional(),
    workos_authorize_url: z.string().nullable().optional()
  })
  .meta({ id: "AdminSessionStatusResponse" })

export const AdminAuthTransportDiagnostics = z
  .object({
    legacy_query_auth_enabled: z.boolean(),
    stream_auth_primary_configured: z.boolean(),
    stream_auth_previous_configured: z.boolean(),
    stream_auth_secret_count: z.number().int().min(0)
  })
  .meta({ id: "AdminAuthTransportDiagnostics" })

export const AdminAuthTransportResponse = z
  .object({ ok: z.boolean(), auth_transport: AdminAuthTransportDiagnostics })
  .meta({ id: "AdminAuthTransportResponse" })

export const AdminAuthTransportAlert = z
  .object({ severity: z.string(), code: z.string(), message: z.string(), action: z.string() })
  .meta({ id: "AdminAuthTransportAlert" })

export const AdminAuthTransportAlertsResponse = z
  .object({
    ok: z.boolean(),
    status: z.string(),
    diagnostics: AdminAuthTransportDiagnostics,
    count: z.number().int().min(0),
    alerts: z.array(AdminAuthTransportAlert)
  })
  .meta({ id: "AdminAuthTransportAlertsResponse" })
