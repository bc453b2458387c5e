import { z } from "zod"
import { AgentVersions } from "../../effects/AgentVersions.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { AdminAgentVersionResponse, AdminAgentVersionsResponse, CreateAgentVersion } from "../schemas/agents.js"
import { TenantIdInput } from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

const PATH = "/api/v1/admin/tenants/{tenant_id}/agent-versions"

export const agentVersionsRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: PATH, operationId: "list_agent_versions", summary: "List Agent Versions", errors: [401, 404], responseSchema: "AdminAgentVersionsResponse" }))
    .input(TenantIdInput.extend({ agent_id: z.uuid().optional().describe("Only versions of this agent (404 when it is not an agent of the tenant)") }))
    .output(AdminAgentVersionsResponse)
    .query(async ({ ctx, input }) => {
      const versions = await run(ctx, AgentVersions.list(input.tenant_id, input.agent_id))
      return { ok: true, count: versions.length, versions }
    }),

  create: adminProcedure
    .meta(adminOp({
      method: "POST", path: PATH, operationId: "create_agent_version", summary: "Create Agent Version",
      description: "Creates the agent's next version (numbers 1, 2, 3 … per agent, never reused) as a draft. Versions are immutable: to change a config, create a new version.",
      errors: [400, 401, 404], responseSchema: "AdminAgentVersionResponse"
    }))
    .input(CreateAgentVersion.extend(TenantIdInput.shape))
    .output(AdminAgentVersionResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, version: await run(ctx, AgentVersions.create(input.tenant_id, input.agent_id, input.config ?? {})) })),

  publish: adminProcedure
    .meta(adminOp({
      method: "POST", path: `${PATH}/{version_id}/publish`, operationId: "publish_agent_version", summary: "Publish Agent Version",
      description: "Makes the version its agent's single published version; the previously published one returns to `draft` (still readable, with its `published_at`). Publishing the published version changes nothing.",
      errors: [401, 404], responseSchema: "AdminAgentVersionResponse"
    }))
    .input(TenantIdInput.extend({ version_id: z.string().describe("Agent version id") }))
    .output(AdminAgentVersionResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, version: await run(ctx, AgentVersions.publish(input.tenant_id, input.version_id)) }))
})
