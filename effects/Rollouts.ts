import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { type RolloutShare, rolloutSetError } from "../src/domain/rollout.js"
import { Agents } from "./Agents.js"
import { ValidationFailed } from "./errors.js"
import { iso } from "./tenantScope.js"

export interface AgentVersionRollout {
  readonly id: string
  readonly tenant_id: string
  readonly agent_id: string
  readonly agent_version_id: string
  readonly agent_key: string
  readonly agent_name: string
  readonly version_number: number
  readonly traffic_percentage: number
  readonly position: number
  readonly created_at: string
  readonly updated_at: string
}

interface RolloutRow extends Omit<AgentVersionRollout, "created_at" | "updated_at"> {
  readonly created_at: Date
  readonly updated_at: Date
}

const toRollout = (r: RolloutRow): AgentVersionRollout => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })

/**
 * An agent's traffic split across its versions. Entries take consecutive bucket ranges in
 * `position` order; whatever the percentages leave (100 − sum) goes to the published version.
 */
export class Rollouts extends Effect.Service<Rollouts>()("Rollouts", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agents = yield* Agents

    const rows = (tenantId: string, agentId: string) =>
      sql<RolloutRow>`SELECT r.id, r.tenant_id, r.agent_id, r.agent_version_id, a.agent_key, a.name AS agent_name,
                             v.version_number, r.traffic_percentage, r.position, r.created_at, r.updated_at
                      FROM agent_version_rollouts r
                      JOIN agents a ON a.tenant_id = r.tenant_id AND a.id = r.agent_id
                      JOIN agent_versions v ON v.tenant_id = r.tenant_id AND v.id = r.agent_version_id
                      WHERE r.tenant_id = ${tenantId} AND r.agent_id = ${agentId}
                      ORDER BY r.position`.pipe(Effect.orDie, Effect.map((rs) => rs.map(toRollout)))

    /** The agent's entries in position order; an unknown agent (or another tenant's) is NotFound. */
    const list = (tenantId: string, agentId: string) => agents.get(tenantId, agentId).pipe(Effect.zipRight(rows(tenantId, agentId)))

    /**
     * Replaces the whole split in one transaction. An invalid set (non-integer or out-of-range
     * percentages, sum over 100, repeated or foreign versions) fails with ValidationFailed and
     * leaves the stored split as it was.
     */
    const replace = (tenantId: string, agentId: string, items: ReadonlyArray<RolloutShare>) =>
      Effect.gen(function* () {
        yield* agents.get(tenantId, agentId)
        // Locking the agent row orders this against publishes and other replaces of the same agent.
        yield* sql`SELECT id FROM agents WHERE tenant_id = ${tenantId} AND id = ${agentId} FOR UPDATE`
        const versions = yield* sql<{ id: string }>`SELECT id FROM agent_versions WHERE tenant_id = ${tenantId} AND agent_id = ${agentId}`
        const error = rolloutSetError(items, new Set(versions.map((v) => v.id)))
        if (error) return yield* Effect.fail(new ValidationFailed({ message: error }))
        yield* sql`DELETE FROM agent_version_rollouts WHERE tenant_id = ${tenantId} AND agent_id = ${agentId}`
        if (items.length > 0) {
          yield* sql`INSERT INTO agent_version_rollouts ${sql.insert(
            items.map((e, position) => ({
              id: randomUUID(),
              tenant_id: tenantId,
              agent_id: agentId,
              agent_version_id: e.agent_version_id,
              traffic_percentage: e.traffic_percentage,
              position
            }))
          )}`
        }
        return yield* rows(tenantId, agentId)
      }).pipe(sql.withTransaction, Effect.catchTag("SqlError", (e) => Effect.die(e)))

    return { list, replace } as const
  }),
  dependencies: [Agents.Default]
}) {}
