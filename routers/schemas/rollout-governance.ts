import { z } from "zod"
import { RolloutGovernancePolicy } from "./rollouts.js"

const rateOrNull = () => z.number().nullable().optional()

export const AgentVersionEvalStats = z
  .object({
    agent_version_id: z.string(),
    agent_key: z.string(),
    agent_name: z.string(),
    version_number: z.number().int(),
    eval_count: z.number().int().min(0).describe("Evaluations recorded in the policy's lookback window"),
    avg_score: rateOrNull().describe("Average normalised score (0..1)"),
    high_quality_rate: rateOrNull().describe("Share of evaluations scoring 0.8 or more"),
    last_eval_at: z.string().nullable().optional()
  })
  .meta({ id: "AgentVersionEvalStats" })

export const RolloutGovernanceVersionEvaluation = z
  .object({
    agent_version_id: z.string(),
    version_number: z.number().int(),
    traffic_percentage: z.number().int().nullable().optional().describe("The version's share before any rollback"),
    eval_count: z.number().int().min(0),
    avg_score: rateOrNull(),
    high_quality_rate: rateOrNull(),
    last_eval_at: z.string().nullable().optional(),
    status: z.string().describe("pass | fail | insufficient_data | published | rolled_back | not_evaluated (no policy)"),
    reasons: z.array(z.string())
  })
  .meta({ id: "RolloutGovernanceVersionEvaluation" })

export const RolloutGovernanceEvaluation = z
  .object({
    agent_id: z.string(),
    agent_key: z.string(),
    agent_name: z.string(),
    status: z.string().describe("no_policy | disabled | no_rollouts | healthy | insufficient_data | rollback_recommended | rolled_back"),
    applied: z.boolean().describe("Whether failing versions' traffic was removed by this evaluation"),
    policy: RolloutGovernancePolicy.nullable().optional(),
    published_version: AgentVersionEvalStats.nullable().optional(),
    reasons: z.array(z.string()),
    rollout_versions: z.array(RolloutGovernanceVersionEvaluation)
  })
  .meta({ id: "RolloutGovernanceEvaluation" })

export const EvaluateRolloutGovernanceRequest = z
  .object({ apply: z.boolean().optional().describe("Roll failing versions back (remove their traffic) when the policy is enabled") })
  .meta({ id: "EvaluateRolloutGovernanceRequest" })

export const AdminRolloutGovernanceEvaluationResponse = z
  .object({ ok: z.boolean(), evaluation: RolloutGovernanceEvaluation })
  .meta({ id: "AdminRolloutGovernanceEvaluationResponse" })

export const RolloutGovernanceSweepRequest = z
  .object({
    apply: z.boolean().optional(),
    auth_token: z.string().nullable().optional().describe("Only the tenant whose legacy auth_token this is"),
    limit: z.number().int().nullable().optional().describe("Most agents to evaluate (default 100, max 1000)")
  })
  .meta({ id: "RolloutGovernanceSweepRequest" })

export const RolloutGovernanceSweepItem = z
  .object({
    auth_token: z.string().describe('"***" when the tenant has a legacy auth_token (never read back), else ""'),
    tenant_id: z.string(),
    evaluation: RolloutGovernanceEvaluation
  })
  .meta({ id: "RolloutGovernanceSweepItem" })

export const RolloutGovernanceSweepFailure = z
  .object({ auth_token: z.string(), agent_id: z.string().nullable().optional(), error: z.string() })
  .meta({ id: "RolloutGovernanceSweepFailure" })

export const RolloutGovernanceSweepResult = z
  .object({
    attempted_tenants: z.number().int().min(0),
    evaluated_tenants: z.number().int().min(0),
    attempted_agents: z.number().int().min(0),
    evaluated_agents: z.number().int().min(0),
    rollback_recommended: z.number().int().min(0),
    rollbacks_applied: z.number().int().min(0),
    items: z.array(RolloutGovernanceSweepItem),
    failures: z.array(RolloutGovernanceSweepFailure)
  })
  .meta({ id: "RolloutGovernanceSweepResult" })

export const AdminRolloutGovernanceSweepResponse = z
  .object({ ok: z.boolean(), result: RolloutGovernanceSweepResult })
  .meta({ id: "AdminRolloutGovernanceSweepResponse" })
