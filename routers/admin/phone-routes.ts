import { z } from "zod"
import { PhoneRoutes } from "../../effects/PhoneRoutes.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { AdminPhoneNumberRouteResponse, AdminPhoneNumberRoutesResponse, UpsertPhoneNumberRoute } from "../schemas/phone-routes.js"
import { TenantIdInput } from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

const PATH = "/api/v1/admin/tenants/{tenant_id}/phone-number-routes"

export const phoneRoutesRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: PATH, operationId: "list_phone_number_routes", summary: "List Phone Number Routes", errors: [401, 404], responseSchema: "AdminPhoneNumberRoutesResponse" }))
    .input(TenantIdInput)
    .output(AdminPhoneNumberRoutesResponse)
    .query(async ({ ctx, input }) => {
      const routes = await run(ctx, PhoneRoutes.list(input.tenant_id))
      return { ok: true, count: routes.length, routes }
    }),

  upsert: adminProcedure
    .meta(adminOp({
      method: "PUT", path: PATH, operationId: "upsert_phone_number_route", summary: "Upsert Phone Number Route",
      description: "One route per (tenant, number, direction). With `id` the route is updated; without, the route of the same number and direction is created or replaced. A malformed E.164 number or a version of another agent answers 400; a number already routed for an inbound direction by another tenant answers 409.",
      errors: [400, 401, 404, 409], responseSchema: "AdminPhoneNumberRouteResponse"
    }))
    .input(UpsertPhoneNumberRoute.extend(TenantIdInput.shape))
    .output(AdminPhoneNumberRouteResponse)
    .mutation(async ({ ctx, input }) => {
      const { tenant_id, ...body } = input
      return { ok: true, route: await run(ctx, PhoneRoutes.upsert(tenant_id, body)) }
    }),

  delete: adminProcedure
    .meta(adminOp({ method: "DELETE", path: `${PATH}/{route_id}`, operationId: "delete_phone_number_route", summary: "Delete Phone Number Route", errors: [401, 404], responseSchema: "AdminPhoneNumberRouteResponse" }))
    .input(TenantIdInput.extend({ route_id: z.string().describe("Route id") }))
    .output(AdminPhoneNumberRouteResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, route: await run(ctx, PhoneRoutes.remove(input.tenant_id, input.route_id)) }))
})
