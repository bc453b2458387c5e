import { z } from "zod"
import { timestamp } from "./agents.js"

export const AgentVersionRollout = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    agent_id: z.uuid(),
    agent_version_id: z.uuid(),
    agent_key: z.string(),
    agent_name: z.string(),
    version_number: z.number().int(),
    traffic_percentage: z.number().int().describe("Share of calls (0–100) routed to this version"),
    position: z.number().int().describe("Order of the entry; entries take consecutive ranges of the call's hash bucket"),
    created_at: timestamp(),
    updated_at: timestamp()
  })
  .meta({ id: "AgentVersionRollout" })

export const SetAgentVersionRollout = z
  .object({
    agent_version_id: z.uuid().describe("A version of this agent"),
    traffic_percentage: z.number().int().describe("Integer 0–100; all entries sum to at most 100, the rest goes to the published version")
  })
  .meta({ id: "SetAgentVersionRollout" })

export const ReplaceAgentVersionRollouts = z
  .object({ entries: z.array(SetAgentVersionRollout).max(100).optional().describe("The whole new split; empty or omitted clears it") })
  .meta({ id: "ReplaceAgentVersionRollouts" })

export const AdminAgentVersionRolloutsResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), rollouts: z.array(AgentVersionRollout) })
  .meta({ id: "AdminAgentVersionRolloutsResponse" })

export const RolloutGovernancePolicy = z
  .object({
    tenant_id: z.string(),
    agent_id: z.uuid(),
    enabled: z.boolean(),
    lookback_hours: z.number().int(),
    min_avg_score: z.number(),
    min_eval_count: z.number().int(),
    min_high_quality_rate: z.number().nullable().optional(),
    created_at: timestamp(),
    updated_at: timestamp()
  })
  .meta({ id: "RolloutGovernancePolicy" })

export const UpsertRolloutGovernancePolicy = z
  .object({
    enabled: z.boolean(),
    lookback_hours: z.number().int().describe("Integer 1–8760: window of evaluations considered"),
    min_avg_score: z.number().describe("Minimum average eval score: 0–1, or a percentage above 1 up to 100; stored on the 0–1 scale"),
    min_eval_count: z.number().int().describe("Integer ≥ 0: evaluations needed before the policy judges a version"),
    min_high_quality_rate: z.number().nullable().optional().describe("Fraction 0–1 of high-quality evals required, or null")
  })
  .meta({ id: "UpsertRolloutGovernancePolicy" })

export const AdminRolloutGovernancePolicyResponse = z
  .object({ ok: z.boolean(), policy: RolloutGovernancePolicy.nullable().optional().describe("null when the agent has no policy") })
  .meta({ id: "AdminRolloutGovernancePolicyResponse" })
