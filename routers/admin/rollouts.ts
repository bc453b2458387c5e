import { z } from "zod"
import { RolloutPolicies } from "../../effects/RolloutPolicies.js"
import { Rollouts } from "../../effects/Rollouts.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import {
  AdminAgentVersionRolloutsResponse,
  AdminRolloutGovernancePolicyResponse,
  ReplaceAgentVersionRollouts,
  UpsertRolloutGovernancePolicy
} from "../schemas/rollouts.js"
import { TenantIdInput } from "../schemas/tenants.js"
import { router, run } from "../trpc.js"

const PATH = "/api/v1/admin/tenants/{tenant_id}/agents/{agent_id}"
const AgentPath = TenantIdInput.extend({ agent_id: z.string().describe("Agent id") })

export const rolloutsRouter = router({
  list: adminProcedure
    .meta(adminOp({ method: "GET", path: `${PATH}/rollouts`, operationId: "list_agent_version_rollouts", summary: "List Agent Version Rollouts", errors: [401, 404], responseSchema: "AdminAgentVersionRolloutsResponse" }))
    .input(AgentPath)
    .output(AdminAgentVersionRolloutsResponse)
    .query(async ({ ctx, input }) => {
      const rollouts = await run(ctx, Rollouts.list(input.tenant_id, input.agent_id))
      return { ok: true, count: rollouts.length, rollouts }
    }),

  replace: adminProcedure
    .meta(adminOp({
      method: "PUT", path: `${PATH}/rollouts`, operationId: "replace_agent_version_rollouts", summary: "Replace Agent Version Rollouts",
      description: "Replaces the agent's traffic split. Percentages are integers 0–100 summing to at most 100; the rest of the calls go to the published version. Each call's share is chosen by a hash of its call SID, so retries resolve the same version. An invalid set (sum over 100, versions of another agent, repeated versions) answers 400 and leaves the split unchanged.",
      errors: [400, 401, 404], responseSchema: "AdminAgentVersionRolloutsResponse"
    }))
    .input(ReplaceAgentVersionRollouts.extend(AgentPath.shape))
    .output(AdminAgentVersionRolloutsResponse)
    .mutation(async ({ ctx, input }) => {
      const rollouts = await run(ctx, Rollouts.replace(input.tenant_id, input.agent_id, input.entries ?? []))
      return { ok: true, count: rollouts.length, rollouts }
    }),

  getPolicy: adminProcedure
    .meta(adminOp({ method: "GET", path: `${PATH}/rollout-policy`, operationId: "get_rollout_governance_policy", summary: "Get Rollout Governance Policy", errors: [401, 404], responseSchema: "AdminRolloutGovernancePolicyResponse" }))
    .input(AgentPath)
    .output(AdminRolloutGovernancePolicyResponse)
    .query(async ({ ctx, input }) => ({ ok: true, policy: await run(ctx, RolloutPolicies.get(input.tenant_id, input.agent_id)) })),

  upsertPolicy: adminProcedure
    .meta(adminOp({ method: "PUT", path: `${PATH}/rollout-policy`, operationId: "upsert_rollout_governance_policy", summary: "Upsert Rollout Governance Policy", errors: [401, 404], responseSchema: "AdminRolloutGovernancePolicyResponse" }))
    .input(UpsertRolloutGovernancePolicy.extend(AgentPath.shape))
    .output(AdminRolloutGovernancePolicyResponse)
    .mutation(async ({ ctx, input }) => {
      const { tenant_id, agent_id, ...policy } = input
      return { ok: true, policy: await run(ctx, RolloutPolicies.upsert(tenant_id, agent_id, policy)) }
    })
})
