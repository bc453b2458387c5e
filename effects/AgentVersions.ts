import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { type AgentVersionConfig, normalizeAgentConfig } from "../src/domain/agent-config.js"
import { isUuid } from "../src/domain/uuid.js"
import { Agents } from "./Agents.js"
import { NotFound } from "./errors.js"
import { iso, isoOrNull, requireTenant } from "./tenantScope.js"

export type AgentVersionStatus = "draft" | "published"

export interface AgentVersion {
  readonly id: string
  readonly agent_id: string
  readonly tenant_id: string
  readonly agent_key: string
  readonly agent_name: string
  readonly version_number: number
  readonly status: AgentVersionStatus
  readonly config: AgentVersionConfig
  readonly created_at: string
  readonly updated_at: string
  readonly published_at: string | null
}

interface VersionRow extends Omit<AgentVersion, "config" | "created_at" | "updated_at" | "published_at"> {
  readonly config: unknown
  readonly created_at: Date
  readonly updated_at: Date
  readonly published_at: Date | null
}

export const toAgentVersion = (r: VersionRow): AgentVersion => ({
  ...r,
  config: normalizeAgentConfig(r.config),
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
  published_at: isoOrNull(r.published_at)
})

/**
 * Numbered, immutable versions of an agent. A version's config never changes after
 * creation (a change is a new version); publishing only moves the single "published"
 * marker, so the previously published version returns to `draft` and keeps its
 * `published_at` as the record of when it last went live.
 */
export class AgentVersions extends Effect.Service<AgentVersions>()("AgentVersions", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agents = yield* Agents

    const COLUMNS = sql.literal(`v.id, v.agent_id, v.tenant_id, a.agent_key, a.name AS agent_name, v.version_number,
      v.status, v.config, v.created_at, v.updated_at, v.published_at`)
    const FROM = sql.literal(`agent_versions v JOIN agents a ON a.tenant_id = v.tenant_id AND a.id = v.agent_id`)

    const list = (tenantId: string, agentId?: string) =>
      Effect.gen(function* () {
        yield* requireTenant(sql, tenantId)
        if (agentId !== undefined) yield* agents.get(tenantId, agentId)
        const rows = yield* sql<VersionRow>`SELECT ${COLUMNS} FROM ${FROM}
          WHERE v.tenant_id = ${tenantId} ${agentId !== undefined ? sql`AND v.agent_id = ${agentId}` : sql``}
          ORDER BY a.agent_key, v.version_number DESC`.pipe(Effect.orDie)
        return rows.map(toAgentVersion)
      })

    const get = (tenantId: string, versionId: string) =>
      Effect.gen(function* () {
        const rows = isUuid(versionId)
          ? yield* sql<VersionRow>`SELECT ${COLUMNS} FROM ${FROM} WHERE v.tenant_id = ${tenantId} AND v.id = ${versionId}`.pipe(Effect.orDie)
          : []
        if (!rows[0]) return yield* Effect.fail(new NotFound({ resource: "agent version", id: versionId }))
        return toAgentVersion(rows[0])
      })

    /**
     * Takes the next number from the agent row in the same statement that inserts the
     * version: concurrent creations queue on the agent's row lock, and a failed insert
     * rolls the counter back, so numbers are 1, 2, 3 … with no gaps or duplicates.
     */
    const create = (tenantId: string, agentId: string, config: unknown) =>
      Effect.gen(function* () {
        yield* requireTenant(sql, tenantId)
        if (!isUuid(agentId)) return yield* Effect.fail(new NotFound({ resource: "agent", id: agentId }))
        const rows = yield* sql<VersionRow>`
          WITH a AS (
            UPDATE agents SET last_version_number = last_version_number + 1
            WHERE tenant_id = ${tenantId} AND id = ${agentId}
            RETURNING tenant_id, id, agent_key, name, last_version_number
          ), v AS (
            INSERT INTO agent_versions (id, tenant_id, agent_id, version_number, status, config)
            SELECT ${randomUUID()}, a.tenant_id, a.id, a.last_version_number, 'draft', ${JSON.stringify(normalizeAgentConfig(config))}::jsonb FROM a
            RETURNING *
          )
          SELECT ${COLUMNS} FROM v JOIN a ON a.id = v.agent_id`.pipe(Effect.orDie)
        if (!rows[0]) return yield* Effect.fail(new NotFound({ resource: "agent", id: agentId }))
        return toAgentVersion(rows[0])
      })

    /** Makes the version its agent's single published one; publishing the published version changes nothing. */
    const publish = (tenantId: string, versionId: string) =>
      Effect.gen(function* () {
        const target = yield* get(tenantId, versionId)
        // The agent row lock serializes publishes of one agent, so the partial unique index
        // on the published version never sees two concurrent winners.
        yield* sql`SELECT id FROM agents WHERE tenant_id = ${tenantId} AND id = ${target.agent_id} FOR UPDATE`
        yield* sql`UPDATE agent_versions SET status = 'draft', updated_at = now()
                   WHERE tenant_id = ${tenantId} AND agent_id = ${target.agent_id} AND status = 'published' AND id <> ${versionId}`
        yield* sql`UPDATE agent_versions SET status = 'published', published_at = now(), updated_at = now()
                   WHERE tenant_id = ${tenantId} AND id = ${versionId} AND status <> 'published'`
        return yield* get(tenantId, versionId)
      }).pipe(sql.withTransaction, Effect.catchTag("SqlError", (e) => Effect.die(e)))

    return { list, get, create, publish } as const
  }),
  dependencies: [Agents.Default]
}) {}
