import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { normalizeScore } from "../src/domain/eval-score.js"
import { rate } from "../src/domain/percentiles.js"
import { sha256Hex } from "../src/domain/secrets.js"
import { applyRollback, type GovernancePolicy, judgeVersion, overallStatus, type VersionEvalStats } from "../src/domain/rollout-governance.js"
import { Agents } from "./Agents.js"
import { AgentVersions } from "./AgentVersions.js"
import { RolloutPolicies, type RolloutGovernancePolicy } from "./RolloutPolicies.js"
import { Rollouts } from "./Rollouts.js"
import { TenantsRepo } from "./TenantsRepo.js"
import { VoiceSessionEvalsRepo, type VersionEvalStatsRow } from "./VoiceSessionEvalsRepo.js"

const describe = (e: unknown): string =>
  typeof e === "object" && e !== null && "_tag" in e && e._tag === "NotFound" ? "agent or tenant no longer exists" : "evaluation failed"

const toStats = (r: VersionEvalStatsRow | undefined): VersionEvalStats & { last_eval_at: string | null } => ({
  eval_count: r?.eval_count ?? 0,
  avg_score: r?.avg_score ?? null,
  high_quality_rate: r ? rate(r.high_quality_count, r.eval_count) : null,
  last_eval_at: r?.last_eval_at?.toISOString() ?? null
})

/** Policies store min_avg_score as given (0..1 or 0..100); the evaluation compares on 0..1. */
const governancePolicy = (p: RolloutGovernancePolicy): GovernancePolicy => {
  const score = normalizeScore(p.min_avg_score)
  return { ...p, min_avg_score: score.ok ? score.value : 1, min_high_quality_rate: p.min_high_quality_rate }
}

/**
 * Evaluates an agent's rollout versions against its governance policy and, with `apply`, rolls
 * failing versions back through `Rollouts.replace`. The agent row is locked for the whole
 * evaluation so a concurrent rollout change cannot be overwritten by a stale split.
 */
export class RolloutGovernance extends Effect.Service<RolloutGovernance>()("RolloutGovernance", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agents = yield* Agents
    const versions = yield* AgentVersions
    const rollouts = yield* Rollouts
    const policies = yield* RolloutPolicies
    const evals = yield* VoiceSessionEvalsRepo
    const tenants = yield* TenantsRepo

    const evaluate = (tenantId: string, agentId: string, opts: { readonly apply: boolean; readonly trigger: "evaluate" | "sweep"; readonly now?: Date }) =>
      Effect.gen(function* () {
        const agent = yield* agents.get(tenantId, agentId)
        yield* sql`SELECT id FROM agents WHERE tenant_id = ${tenantId} AND id = ${agentId} FOR UPDATE`.pipe(Effect.orDie)
        const policyRow = yield* policies.get(tenantId, agentId)
        const entries = yield* rollouts.list(tenantId, agentId)
        const published = (yield* versions.list(tenantId, agentId)).find((v) => v.status === "published") ?? null
        const policy = policyRow ? governancePolicy(policyRow) : null
        const now = opts.now ?? new Date()
        const since = new Date(now.getTime() - (policy?.lookback_hours ?? 24) * 3_600_000)
        const ids = [...new Set([...entries.map((e) => e.agent_version_id), ...(published ? [published.id] : [])])]
        const rows = yield* evals.versionStats(tenantId, ids, since)
        const statsOf = (id: string) => toStats(rows.find((r) => r.agent_version_id === id))
        const publishedStats = published ? statsOf(published.id) : undefined

        const verdicts = policy ? entries.map((e) => judgeVersion(e.agent_version_id, statsOf(e.agent_version_id), policy, published?.id ?? null, publishedStats)) : []
        const failing = new Set(verdicts.filter((v) => v.status === "fail").map((v) => v.agent_version_id))
        const apply = opts.apply && policy !== null && policy.enabled && failing.size > 0
        if (apply) {
          const kept = applyRollback(entries, failing, published?.id ?? null)
          yield* rollouts.replace(tenantId, agentId, kept.map((e) => ({ agent_version_id: e.agent_version_id, traffic_percentage: e.traffic_percentage })))
        }
        const overall = overallStatus(policy, verdicts, apply)
        const evaluation = {
          agent_id: agent.id,
          agent_key: agent.agent_key,
          agent_name: agent.name,
          status: overall.status,
          applied: apply,
          policy: policyRow,
          published_version: published
            ? { agent_version_id: published.id, agent_key: agent.agent_key, agent_name: agent.name, version_number: published.version_number, ...publishedStats! }
            : null,
          reasons: [...overall.reasons],
          rollout_versions: entries.map((e, i) => ({
            agent_version_id: e.agent_version_id,
            version_number: e.version_number,
            traffic_percentage: e.traffic_percentage,
            ...statsOf(e.agent_version_id),
            status: apply && failing.has(e.agent_version_id) ? "rolled_back" : (verdicts[i]?.status ?? "not_evaluated"),
            reasons: [...(verdicts[i]?.reasons ?? ["no policy"])]
          }))
        }
        if (apply || failing.size > 0) {
          yield* sql`INSERT INTO rollout_governance_runs (tenant_id, agent_id, trigger, status, applied, rolled_back_version_ids, evaluation)
            VALUES (${tenantId}, ${agentId}, ${opts.trigger}, ${overall.status}, ${apply}, ${apply ? [...failing] : []}::uuid[], ${JSON.stringify(evaluation)}::jsonb)`.pipe(Effect.orDie)
        }
        return evaluation
      }).pipe(sql.withTransaction, Effect.catchTag("SqlError", (e) => Effect.die(e)))

    /**
     * Every enabled policy (optionally only the tenant whose legacy auth_token is given), up to
     * `limit` agents. One agent's failure is reported and the sweep goes on. Items name the
     * tenant's auth_token only as "***" (secrets are never read back) or "" when it has none.
     */
    const sweep = (opts: { readonly apply: boolean; readonly authToken?: string | null | undefined; readonly limit: number }) =>
      Effect.gen(function* () {
        const onlyTenant = opts.authToken ? ((yield* tenants.findIdByLegacyTokenHash(sha256Hex(opts.authToken))) ?? null) : undefined
        const all = yield* policies.listEnabled()
        const selected = all.filter((p) => onlyTenant === undefined || p.tenant_id === onlyTenant).slice(0, opts.limit)
        const tokenLabel = new Map<string, string>()
        for (const id of new Set(selected.map((p) => p.tenant_id))) {
          const row = yield* tenants.find(id)
          tokenLabel.set(id, typeof row?.config.auth_token === "string" && row.config.auth_token !== "" ? "***" : "")
        }
        const items: Array<{ auth_token: string; tenant_id: string; evaluation: Effect.Effect.Success<ReturnType<typeof evaluate>> }> = []
        const failures: Array<{ auth_token: string; agent_id: string | null; error: string }> = []
        const evaluated = new Set<string>()
        for (const p of selected) {
          const auth_token = tokenLabel.get(p.tenant_id) ?? ""
          const result = yield* evaluate(p.tenant_id, p.agent_id, { apply: opts.apply, trigger: "sweep" }).pipe(Effect.either, Effect.catchAllDefect((d) => Effect.succeed({ _tag: "Left" as const, left: d })))
          if (result._tag === "Right") {
            evaluated.add(p.tenant_id)
            items.push({ auth_token, tenant_id: p.tenant_id, evaluation: result.right })
          } else {
            failures.push({ auth_token, agent_id: p.agent_id, error: describe(result.left) })
          }
        }
        return {
          attempted_tenants: new Set(selected.map((p) => p.tenant_id)).size,
          evaluated_tenants: evaluated.size,
          attempted_agents: selected.length,
          evaluated_agents: items.length,
          rollback_recommended: items.filter((i) => i.evaluation.rollout_versions.some((v) => v.status === "fail" || v.status === "rolled_back")).length,
          rollbacks_applied: items.filter((i) => i.evaluation.applied).length,
          items,
          failures
        }
      })

    return { evaluate, sweep } as const
  }),
  dependencies: [Agents.Default, AgentVersions.Default, Rollouts.Default, RolloutPolicies.Default, VoiceSessionEvalsRepo.Default, TenantsRepo.Default]
}) {}
