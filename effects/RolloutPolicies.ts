import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { normalizeRolloutPolicy, type RolloutPolicyInput } from "../src/domain/rollout-policy.js"
import { Agents } from "./Agents.js"
import { ValidationFailed } from "./errors.js"
import { iso } from "./tenantScope.js"

export interface RolloutGovernancePolicy {
  readonly tenant_id: string
  readonly agent_id: string
  readonly enabled: boolean
  readonly lookback_hours: number
  readonly min_avg_score: number
  readonly min_eval_count: number
  readonly min_high_quality_rate: number | null
  readonly created_at: string
  readonly updated_at: string
}

interface PolicyRow extends Omit<RolloutGovernancePolicy, "created_at" | "updated_at"> {
  readonly created_at: Date
  readonly updated_at: Date
}

const toPolicy = (r: PolicyRow): RolloutGovernancePolicy => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })

const COLUMNS = `tenant_id, agent_id, enabled, lookback_hours, min_avg_score, min_eval_count, min_high_quality_rate, created_at, updated_at`

/** Per-agent thresholds the rollout governance evaluation applies (the evaluation itself lives elsewhere). */
export class RolloutPolicies extends Effect.Service<RolloutPolicies>()("RolloutPolicies", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agents = yield* Agents
    const cols = sql.literal(COLUMNS)

    /** The agent's policy, or null when none was set; an unknown agent is NotFound. */
    const get = (tenantId: string, agentId: string) =>
      agents.get(tenantId, agentId).pipe(
        Effect.zipRight(
          sql<PolicyRow>`SELECT ${cols} FROM rollout_governance_policies WHERE tenant_id = ${tenantId} AND agent_id = ${agentId}`.pipe(Effect.orDie)
        ),
        Effect.map((rows) => (rows[0] ? toPolicy(rows[0]) : null))
      )

    const upsert = (tenantId: string, agentId: string, input: RolloutPolicyInput) =>
      Effect.gen(function* () {
        yield* agents.get(tenantId, agentId)
        const checked = normalizeRolloutPolicy(input)
        if (!checked.ok) return yield* Effect.fail(new ValidationFailed({ message: checked.error }))
        const p = checked.value
        const rows = yield* sql<PolicyRow>`
          INSERT INTO rollout_governance_policies (tenant_id, agent_id, enabled, lookback_hours, min_avg_score, min_eval_count, min_high_quality_rate)
          VALUES (${tenantId}, ${agentId}, ${p.enabled}, ${p.lookback_hours}, ${p.min_avg_score}, ${p.min_eval_count}, ${p.min_high_quality_rate})
          ON CONFLICT (tenant_id, agent_id) DO UPDATE SET
            enabled = EXCLUDED.enabled, lookback_hours = EXCLUDED.lookback_hours, min_avg_score = EXCLUDED.min_avg_score,
            min_eval_count = EXCLUDED.min_eval_count, min_high_quality_rate = EXCLUDED.min_high_quality_rate, updated_at = now()
          RETURNING ${cols}`.pipe(Effect.orDie)
        return toPolicy(rows[0]!)
      })

    /** Every enabled policy across tenants, for the governance sweep. */
    const listEnabled = () =>
      sql<PolicyRow>`SELECT ${cols} FROM rollout_governance_policies WHERE enabled ORDER BY tenant_id, agent_id`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows.map(toPolicy))
      )

    return { get, upsert, listEnabled } as const
  }),
  dependencies: [Agents.Default]
}) {}
