import { z } from "zod"
import { Tenants } from "../../effects/Tenants.js"
import { headerValue, type RequestContext } from "../context.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { optionalInt } from "../schemas/common.js"
import {
  IfMatchHeader,
  ListTenantsResponse,
  TenantConfigDocument,
  TenantIdInput,
  TenantMutationResponse,
  TenantResponse,
  TenantRuntimeConfigPatch,
  ValidateTenantResponse
} from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

const ifMatchOf = (ctx: RequestContext) => headerValue(ctx.headers, "if-match")
const setEtag = (ctx: RequestContext, etag: string) => {
  ctx.response.headers["etag"] = `"${etag}"`
}

export const tenantsRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants", operationId: "list_tenants", summary: "List Tenants", errors: [401, 404, 500], responseSchema: "ListTenantsResponse" }))
    .input(z.object({ limit: optionalInt(1, 500, "Page size (default 50, max 500)"), offset: optionalInt(0, 1_000_000, "Rows to skip") }))
    .output(ListTenantsResponse)
    .query(async ({ ctx, input }) => {
      const page = await run(ctx, Tenants.list(input.limit ?? 50, input.offset ?? 0))
      return { ok: true, count: page.total, tenants: page.tenants }
    }),

  get: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/{tenant_id}", operationId: "get_tenant", summary: "Get Tenant", errors: [401, 404, 500], responseSchema: "TenantResponse" }))
    .input(TenantIdInput)
    .output(TenantResponse)
    .query(async ({ ctx, input }) => {
      const t = await run(ctx, Tenants.get(input.tenant_id))
      setEtag(ctx, t.etag)
      return { ok: true, ...t }
    }),

  upsert: adminProcedure
    .meta(adminOp({ method: "PUT", path: "/api/v1/admin/tenants/{tenant_id}", operationId: "upsert_tenant", summary: "Upsert Tenant", errors: [400, 401, 404, 412, 500], responseSchema: "TenantMutationResponse", requestHeaders: IfMatchHeader }))
    // The REST bridge answers 400 when the body's tenant_id differs from the path's.
    .input(TenantConfigDocument)
    .output(TenantMutationResponse)
    .mutation(async ({ ctx, input }) => {
      const saved = await run(ctx, Tenants.upsert(input.tenant_id, input, ifMatchOf(ctx)))
      setEtag(ctx, saved.etag)
      return { ok: true, tenant_id: saved.tenant_id }
    }),

  delete: adminProcedure
    .meta(adminOp({ method: "DELETE", path: "/api/v1/admin/tenants/{tenant_id}", operationId: "delete_tenant", summary: "Delete Tenant", errors: [401, 404, 500], responseSchema: "TenantMutationResponse" }))
    .input(TenantIdInput)
    .output(TenantMutationResponse)
    .mutation(async ({ ctx, input }) => {
      await run(ctx, Tenants.remove(input.tenant_id))
      return { ok: true, tenant_id: input.tenant_id }
    }),

  validate: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/validate", operationId: "validate_tenant", summary: "Validate Tenant", errors: [400, 401, 404], responseSchema: "ValidateTenantResponse" }))
    .input(TenantConfigDocument)
    .output(ValidateTenantResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, error: null, runtime: await run(ctx, Tenants.validate(input)) })),

  runtime: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/{tenant_id}/runtime", operationId: "get_tenant_runtime", summary: "Get Tenant Runtime", errors: [401, 404, 500], responseSchema: "TenantResponse" }))
    .input(TenantIdInput)
    .output(TenantResponse)
    .query(async ({ ctx, input }) => {
      const t = await run(ctx, Tenants.runtime(input.tenant_id))
      setEtag(ctx, t.etag)
      return { ok: true, ...t }
    }),

  patchRuntime: adminProcedure
    .meta(adminOp({ method: "PUT", path: "/api/v1/admin/tenants/{tenant_id}/runtime-config", operationId: "update_tenant_runtime_config", summary: "Update Tenant Runtime Config", errors: [400, 401, 404, 412, 500], responseSchema: "TenantResponse", requestHeaders: IfMatchHeader }))
    .input(TenantRuntimeConfigPatch.extend({ tenant_id: z.string().describe("Tenant identifier") }))
    .output(TenantResponse)
    .mutation(async ({ ctx, input }) => {
      const { tenant_id, ...patch } = input
      const t = await run(ctx, Tenants.patchRuntime(tenant_id, patch, ifMatchOf(ctx)))
      setEtag(ctx, t.etag)
      return { ok: true, ...t }
    }),

  reload: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/{tenant_id}/reload", operationId: "reload_tenant", summary: "Reload Tenant", errors: [401, 404, 500], responseSchema: "TenantResponse" }))
    .input(TenantIdInput)
    .output(TenantResponse)
    .mutation(async ({ ctx, input }) => {
      const t = await run(ctx, Tenants.reload(input.tenant_id))
      setEtag(ctx, t.etag)
      return { ok: true, ...t }
    })
})
