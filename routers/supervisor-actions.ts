import { z } from "zod"
import { type SupervisorActionRow, SupervisorActions } from "../effects/SupervisorActions.js"
import { adminOp, tenantOp } from "./meta.js"
import { adminProcedure, tenantProcedure } from "./procedures.js"
import { AdminSupervisorActionsResponse, SupervisorActionLog, SupervisorActionsQuery } from "./schemas/sessions.js"
import { router, run } from "./trpc.js"

const view = (r: SupervisorActionRow) => ({ ...r, created_at: r.created_at.toISOString() })
const page = (q: z.infer<typeof SupervisorActionsQuery>) => ({ streamSid: q.stream_sid, action: q.action, limit: q.limit ?? 50, offset: q.offset ?? 0 })

export const supervisorActionsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/supervisor-actions", operationId: "list_supervisor_actions", summary: "List Supervisor Actions", tags: ["operations"], errors: [401, 500, 503] }))
    .input(SupervisorActionsQuery)
    .output(z.array(SupervisorActionLog))
    .query(async ({ ctx, input }) => (await run(ctx, SupervisorActions.list({ ...page(input), tenantId: ctx.tenant.tenantId }))).map(view)),

  listAll: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/supervisor-actions", operationId: "list_supervisor_actions_admin", summary: "List Supervisor Actions Admin", errors: [401, 404, 503], responseSchema: "AdminSupervisorActionsResponse" }))
    .input(SupervisorActionsQuery.extend({ tenant_id: z.string().optional() }))
    .output(AdminSupervisorActionsResponse)
    .query(async ({ ctx, input }) => {
      const actions = (await run(ctx, SupervisorActions.list({ ...page(input), tenantId: input.tenant_id }))).map(view)
      return { ok: true, count: actions.length, actions }
    })
})
