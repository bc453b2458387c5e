import { z } from "zod"
import { RolloutGovernance } from "../../effects/RolloutGovernance.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import {
  AdminRolloutGovernanceEvaluationResponse,
  AdminRolloutGovernanceSweepResponse,
  EvaluateRolloutGovernanceRequest,
  RolloutGovernanceSweepRequest
} from "../schemas/rollout-governance.js"
import { failWith, router, run } from "../trpc.js"

const SWEEP_LIMIT = { def: 100, max: 1000 }

export const rolloutGovernanceRouter = router({
  evaluate: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/tenants/{tenant_id}/agents/{agent_id}/rollout-governance/evaluate", operationId: "evaluate_rollout_governance", summary: "Evaluate Rollout Governance", errors: [401, 404, 503], responseSchema: "AdminRolloutGovernanceEvaluationResponse" }))
    .input(EvaluateRolloutGovernanceRequest.extend({ tenant_id: z.string().describe("Tenant identifier"), agent_id: z.string().describe("Agent id") }))
    .output(AdminRolloutGovernanceEvaluationResponse)
    .mutation(async ({ ctx, input }) => ({
      ok: true,
      evaluation: await run(ctx, RolloutGovernance.evaluate(input.tenant_id, input.agent_id, { apply: input.apply ?? false, trigger: "evaluate" }))
    })),

  sweep: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/rollout-governance/sweep", operationId: "sweep_rollout_governance_admin", summary: "Sweep Rollout Governance Admin", errors: [400, 401, 503], responseSchema: "AdminRolloutGovernanceSweepResponse" }))
    .input(RolloutGovernanceSweepRequest)
    .output(AdminRolloutGovernanceSweepResponse)
    .mutation(async ({ ctx, input }) => {
      const limit = input.limit ?? SWEEP_LIMIT.def
      if (limit < 1 || limit > SWEEP_LIMIT.max) failWith({ status: 400, code: "VALIDATION_ERROR", message: `limit must be an integer between 1 and ${SWEEP_LIMIT.max}` })
      return { ok: true, result: await run(ctx, RolloutGovernance.sweep({ apply: input.apply ?? false, authToken: input.auth_token, limit })) }
    })
})
