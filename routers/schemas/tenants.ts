import { z } from "zod"
import { JsonObject } from "./common.js"

export const TenantConfigDocument = z
  .looseObject({
    tenant_id: z.string().describe("Stable tenant identifier"),
    model: z.string().nullable().optional().describe("Realtime model used by this tenant"),
    org_id: z.string().nullable().optional().describe("Optional organization identifier"),
    system_prompt_key: z.string().nullable().optional().describe("System prompt key for the tenant's voice agent"),
    twilio: z.unknown().optional().describe("Twilio-specific tenant configuration"),
    voice: z.string().nullable().optional().describe("Voice used for generated speech")
  })
  .meta({
    id: "TenantConfigDocument",
    description: "Full tenant configuration document. Secret values may be supplied by administrators but are redacted from read responses."
  })

export const TenantRuntimeConfigPatch = z
  .looseObject({
    model: z.string().nullable().optional().describe("Realtime model to use for new sessions"),
    system_prompt_key: z.string().nullable().optional().describe("System prompt key for the tenant's voice agent"),
    twilio: z.unknown().optional().describe("Twilio-specific runtime configuration patch"),
    voice: z.string().nullable().optional().describe("Voice to use for generated speech"),
    webhook_url: z.string().nullable().optional().describe("Optional webhook URL for tenant events")
  })
  .meta({
    id: "TenantRuntimeConfigPatch",
    description: "Partial tenant runtime configuration patch (JSON merge patch: null deletes a key; \"***\" keeps a stored secret)."
  })

export const AdminTenantItem = z.object({ tenant_id: z.string(), etag: z.string(), config: JsonObject }).meta({ id: "AdminTenantItem" })

export const ListTenantsResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0).describe("Total number of tenants"), tenants: z.array(AdminTenantItem) })
  .meta({ id: "ListTenantsResponse" })

export const TenantResponse = z
  .object({ ok: z.boolean(), tenant_id: z.string(), etag: z.string(), config: JsonObject.describe("Tenant config with secrets redacted") })
  .meta({ id: "TenantResponse" })

export const TenantMutationResponse = z.object({ ok: z.boolean(), tenant_id: z.string() }).meta({ id: "TenantMutationResponse" })

export const ValidateTenantResponse = z
  .object({ ok: z.boolean(), error: z.string().nullable().optional(), runtime: z.unknown().optional() })
  .meta({ id: "ValidateTenantResponse" })

export const TenantIdInput = z.object({ tenant_id: z.string().describe("Tenant identifier") })

export const IfMatchHeader = z.object({
  "if-match": z.string().nullable().optional().describe("Optional ETag precondition for optimistic concurrency")
})
