import { createHash } from "node:crypto"

/** One entry of an agent's traffic split, in position order. */
export interface RolloutShare {
  readonly agent_version_id: string
  readonly traffic_percentage: number
}

/**
 * The call's bucket 0..99: the first 4 bytes of SHA-256(callSid) as an unsigned integer,
 * mod 100. Stable across processes and restarts, so a retried webhook lands in the same
 * bucket. (2^32 mod 100 = 96, so the bias towards low buckets is below 3e-8.)
 */
export const rolloutBucket = (callSid: string): number =>
  createHash("sha256").update(callSid, "utf8").digest().readUInt32BE(0) % 100

/**
 * The rollout version this call falls into, or undefined when its bucket lies past the
 * sum of the percentages (that remainder belongs to the published version). Entries cover
 * consecutive bucket ranges in the order given.
 */
export const pickRolloutVersion = (callSid: string, rollouts: ReadonlyArray<RolloutShare>): string | undefined => {
  const bucket = rolloutBucket(callSid)
  let upper = 0
  for (const r of rollouts) {
    upper += r.traffic_percentage
    if (bucket < upper) return r.agent_version_id
  }
  return undefined
}

/** The version a call runs when only the split and the published version decide; null = none. */
export const selectRolloutVersion = (
  callSid: string,
  rollouts: ReadonlyArray<RolloutShare>,
  publishedVersionId: string | null
): string | null => pickRolloutVersion(callSid, rollouts) ?? publishedVersionId

/**
 * Why a rollout set cannot be stored, or null when it can: integer percentages 0..100,
 * summing to at most 100, each version at most once and only versions of the agent.
 */
export const rolloutSetError = (entries: ReadonlyArray<RolloutShare>, versionsOfAgent: ReadonlySet<string>): string | null => {
  const seen = new Set<string>()
  let sum = 0
  for (const [i, e] of entries.entries()) {
    const p = e.traffic_percentage
    if (!Number.isInteger(p) || p < 0 || p > 100) return `entries[${i}].traffic_percentage must be an integer from 0 to 100`
    if (seen.has(e.agent_version_id)) return `entries[${i}].agent_version_id appears more than once`
    if (!versionsOfAgent.has(e.agent_version_id)) return `entries[${i}].agent_version_id is not a version of this agent`
    seen.add(e.agent_version_id)
    sum += p
  }
  return sum > 100 ? `traffic percentages sum to ${sum}; at most 100 is allowed` : null
}

export type ResolutionSource = "explicit" | "route" | "rollout" | "published" | "tenant_default"

/** What is known about a call when its agent version is chosen. */
export interface ResolutionFacts {
  readonly callSid: string
  /** A version the caller named (already checked to belong to the tenant). */
  readonly explicitVersionId: string | null
  /** The version pinned by the phone-number route that applies to this call. */
  readonly routeVersionId: string | null
  /** The split of the selected agent (empty when no agent was selected). */
  readonly rollouts: ReadonlyArray<RolloutShare>
  /** The selected agent's published version. */
  readonly publishedVersionId: string | null
}

/**
 * Precedence: explicit version > route's pinned version > rollout split (by call SID) >
 * published version > tenant defaults (no version).
 */
export const chooseVersion = (f: ResolutionFacts): { readonly source: ResolutionSource; readonly versionId: string | null } => {
  if (f.explicitVersionId !== null) return { source: "explicit", versionId: f.explicitVersionId }
  if (f.routeVersionId !== null) return { source: "route", versionId: f.routeVersionId }
  const rolled = pickRolloutVersion(f.callSid, f.rollouts)
  if (rolled !== undefined) return { source: "rollout", versionId: rolled }
  if (f.publishedVersionId !== null) return { source: "published", versionId: f.publishedVersionId }
  return { source: "tenant_default", versionId: null }
}
