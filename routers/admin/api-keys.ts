import { z } from "zod"
import { ApiKeys, type ApiKeyRow } from "../../effects/ApiKeys.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { AdminCreatedTenantApiKeyResponse, AdminTenantApiKeyResponse, AdminTenantApiKeysResponse, CreateTenantApiKey } from "../schemas/admin-auth.js"
import { TenantIdInput } from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

const metadata = (k: ApiKeyRow) => ({
  id: k.id,
  key_prefix: k.key_prefix,
  label: k.label,
  created_at: k.created_at.toISOString(),
  last_used_at: k.last_used_at?.toISOString() ?? null,
  revoked_at: k.revoked_at?.toISOString() ?? null
})

export const apiKeysRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/{tenant_id}/api-keys", operationId: "list_tenant_api_keys", summary: "List Tenant Api Keys", errors: [401, 404, 500], responseSchema: "AdminTenantApiKeysResponse" }))
    .input(TenantIdInput)
    .output(AdminTenantApiKeysResponse)
    .query(async ({ ctx, input }) => {
      const keys = await run(ctx, ApiKeys.list(input.tenant_id))
      return { ok: true, count: keys.length, api_keys: keys.map(metadata) }
    }),

  create: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/{tenant_id}/api-keys", operationId: "create_tenant_api_key", summary: "Create Tenant Api Key", errors: [401, 404, 500], responseSchema: "AdminCreatedTenantApiKeyResponse" }))
    .input(CreateTenantApiKey.extend(TenantIdInput.shape))
    .output(AdminCreatedTenantApiKeyResponse)
    .mutation(async ({ ctx, input }) => {
      const { key, token } = await run(ctx, ApiKeys.create(input.tenant_id, input.label ?? null))
      return { ok: true, created: { api_key: metadata(key), token } }
    }),

  revoke: adminProcedure
    .meta(adminOp({ method: "DELETE", path: "/api/v1/admin/tenants/{tenant_id}/api-keys/{key_id}", operationId: "revoke_tenant_api_key", summary: "Revoke Tenant Api Key", errors: [401, 404, 500], responseSchema: "AdminTenantApiKeyResponse" }))
    .input(TenantIdInput.extend({ key_id: z.string().describe("API key id (UUID)") }))
    .output(AdminTenantApiKeyResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, api_key: metadata(await run(ctx, ApiKeys.revoke(input.tenant_id, input.key_id))) }))
})
