/**
 * Rollout governance: judge each rollout version of an agent by its recent evaluations against
 * the agent's policy and against the published version, and compute the rollback.
 *
 * Per rollout version (first rule that holds):
 * - `published`: the entry is the published version itself; never judged, never removed.
 * - `insufficient_data`: fewer evaluations in the lookback window than `min_eval_count`
 *   (and always when it has none).
 * - `fail`: average score below `min_avg_score`, high-quality rate below
 *   `min_high_quality_rate`, or average more than REGRESSION_MARGIN below the published
 *   version's (when the published version itself has enough evaluations).
 * - `pass` otherwise.
 *
 * Rollback (`apply`) removes every failing version from the split; the traffic it had
 * returns to the published version (which takes whatever the split leaves).
 */

/** A rollout version is judged worse than published only beyond this score gap (0..1 scale). */
export const REGRESSION_MARGIN = 0.05

export interface GovernancePolicy {
  readonly enabled: boolean
  readonly lookback_hours: number
  /** 0..1 */
  readonly min_avg_score: number
  readonly min_eval_count: number
  readonly min_high_quality_rate: number | null
}

export interface VersionEvalStats {
  readonly eval_count: number
  readonly avg_score: number | null
  readonly high_quality_rate: number | null
}

export interface RolloutEntry {
  readonly agent_version_id: string
  readonly traffic_percentage: number
}

export type VersionStatus = "pass" | "fail" | "insufficient_data" | "published"

export interface VersionVerdict {
  readonly agent_version_id: string
  readonly status: VersionStatus
  readonly reasons: ReadonlyArray<string>
}

const NO_EVALS: VersionEvalStats = { eval_count: 0, avg_score: null, high_quality_rate: null }
const f2 = (n: number) => n.toFixed(2)

export function judgeVersion(
  versionId: string,
  stats: VersionEvalStats | undefined,
  policy: GovernancePolicy,
  publishedVersionId: string | null,
  published: VersionEvalStats | undefined
): VersionVerdict {
  if (versionId === publishedVersionId) return { agent_version_id: versionId, status: "published", reasons: ["is the published version"] }
  const s = stats ?? NO_EVALS
  const needed = Math.max(1, policy.min_eval_count)
  if (s.eval_count < needed || s.avg_score === null) {
    return {
      agent_version_id: versionId,
      status: "insufficient_data",
      reasons: [`${s.eval_count} evaluation(s) in the last ${policy.lookback_hours}h; the policy needs ${needed}`]
    }
  }
  const reasons: Array<string> = []
  if (s.avg_score < policy.min_avg_score) reasons.push(`average score ${f2(s.avg_score)} is below the minimum ${f2(policy.min_avg_score)}`)
  if (policy.min_high_quality_rate !== null && s.high_quality_rate !== null && s.high_quality_rate < policy.min_high_quality_rate) {
    reasons.push(`high-quality rate ${f2(s.high_quality_rate)} is below the minimum ${f2(policy.min_high_quality_rate)}`)
  }
  const base = published
  if (base && base.avg_score !== null && base.eval_count >= needed && s.avg_score < base.avg_score - REGRESSION_MARGIN) {
    reasons.push(`average score ${f2(s.avg_score)} is more than ${f2(REGRESSION_MARGIN)} below the published version's ${f2(base.avg_score)}`)
  }
  return { agent_version_id: versionId, status: reasons.length > 0 ? "fail" : "pass", reasons }
}

/**
 * The split after rolling back `failing` versions. Published entries are always kept; the
 * others keep their order while the running sum stays within 100, so the result is a valid
 * split even if the input was not.
 */
export function applyRollback<E extends RolloutEntry>(entries: ReadonlyArray<E>, failing: ReadonlySet<string>, publishedVersionId: string | null): Array<E> {
  const keep = entries.filter((e) => e.agent_version_id === publishedVersionId || !failing.has(e.agent_version_id))
  let sum = keep.filter((e) => e.agent_version_id === publishedVersionId).reduce((s, e) => s + e.traffic_percentage, 0)
  return keep.filter((e) => {
    if (e.agent_version_id === publishedVersionId) return true
    if (sum + e.traffic_percentage > 100) return false
    sum += e.traffic_percentage
    return true
  })
}

export type GovernanceStatus = "no_policy" | "disabled" | "no_rollouts" | "healthy" | "insufficient_data" | "rollback_recommended" | "rolled_back"

/** The evaluation's overall status and reasons from its verdicts. */
export function overallStatus(
  policy: GovernancePolicy | null,
  verdicts: ReadonlyArray<VersionVerdict>,
  applied: boolean
): { readonly status: GovernanceStatus; readonly reasons: ReadonlyArray<string> } {
  if (!policy) return { status: "no_policy", reasons: ["the agent has no rollout governance policy"] }
  if (verdicts.length === 0) return { status: "no_rollouts", reasons: ["the agent has no rollout versions"] }
  const failing = verdicts.filter((v) => v.status === "fail")
  if (failing.length > 0) {
    const which = failing.map((v) => v.agent_version_id).join(", ")
    if (applied) return { status: "rolled_back", reasons: [`traffic removed from ${which}`] }
    const note = policy.enabled ? "apply to roll back" : "the policy is disabled, so nothing is applied"
    return { status: policy.enabled ? "rollback_recommended" : "disabled", reasons: [`rollback recommended for ${which} (${note})`] }
  }
  if (!policy.enabled) return { status: "disabled", reasons: ["the policy is disabled"] }
  if (verdicts.some((v) => v.status === "insufficient_data")) return { status: "insufficient_data", reasons: ["some versions lack enough evaluations"] }
  return { status: "healthy", reasons: [] }
}
