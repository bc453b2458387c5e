import { Agents } from "../../effects/Agents.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { AdminAgentResponse, AdminAgentsResponse, CreateAgent } from "../schemas/agents.js"
import { TenantIdInput } from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

export const agentsRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/{tenant_id}/agents", operationId: "list_agents", summary: "List Agents", errors: [401, 404], responseSchema: "AdminAgentsResponse" }))
    .input(TenantIdInput)
    .output(AdminAgentsResponse)
    .query(async ({ ctx, input }) => {
      const agents = await run(ctx, Agents.list(input.tenant_id))
      return { ok: true, count: agents.length, agents }
    }),

  create: adminProcedure
    .meta(adminOp({
      method: "POST", path: "/api/v1/admin/tenants/{tenant_id}/agents", operationId: "create_agent", summary: "Create Agent",
      description: "Creates an agent. `agent_key` is unique per tenant: a duplicate answers 409; an invalid key or empty name answers 400.",
      errors: [400, 401, 404, 409], responseSchema: "AdminAgentResponse"
    }))
    .input(CreateAgent.extend(TenantIdInput.shape))
    .output(AdminAgentResponse)
    .mutation(async ({ ctx, input }) => {
      const { tenant_id, ...body } = input
      return { ok: true, agent: await run(ctx, Agents.create(tenant_id, body)) }
    })
})
