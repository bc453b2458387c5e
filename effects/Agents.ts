import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { isUuid } from "../src/domain/uuid.js"
import { Conflict, NotFound, ValidationFailed } from "./errors.js"
import { onUniqueViolation } from "./sql.js"
import { iso, requireTenant } from "./tenantScope.js"

export interface Agent {
  readonly id: string
  readonly tenant_id: string
  readonly agent_key: string
  readonly name: string
  readonly description: string | null
  readonly created_at: string
  readonly updated_at: string
}

export interface CreateAgentInput {
  readonly agent_key: string
  readonly name: string
  readonly description?: string | null | undefined
}

interface AgentRow extends Omit<Agent, "created_at" | "updated_at"> {
  readonly created_at: Date
  readonly updated_at: Date
}

const AGENT_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/

const toAgent = (r: AgentRow): Agent => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })

const checkInput = (input: CreateAgentInput) => {
  if (!AGENT_KEY.test(input.agent_key)) {
    return Effect.fail(new ValidationFailed({ message: "agent_key must be 1-128 characters of letters, digits, '_', '.', ':', '-' starting with a letter or digit" }))
  }
  if (input.name.trim().length === 0) return Effect.fail(new ValidationFailed({ message: "name must not be empty" }))
  return Effect.void
}

/** Agents of a tenant: a stable `agent_key` (unique per tenant) naming a line of versions. */
export class Agents extends Effect.Service<Agents>()("Agents", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const list = (tenantId: string) =>
      requireTenant(sql, tenantId).pipe(
        Effect.zipRight(
          sql<AgentRow>`SELECT id, tenant_id, agent_key, name, description, created_at, updated_at
                        FROM agents WHERE tenant_id = ${tenantId} ORDER BY agent_key`.pipe(Effect.orDie)
        ),
        Effect.map((rows) => rows.map(toAgent))
      )

    const create = (tenantId: string, input: CreateAgentInput) =>
      Effect.gen(function* () {
        yield* requireTenant(sql, tenantId)
        yield* checkInput(input)
        const rows = yield* sql<AgentRow>`
          INSERT INTO agents (id, tenant_id, agent_key, name, description)
          VALUES (${randomUUID()}, ${tenantId}, ${input.agent_key}, ${input.name.trim()}, ${input.description ?? null})
          RETURNING id, tenant_id, agent_key, name, description, created_at, updated_at`.pipe(
          onUniqueViolation(() => new Conflict({ message: `agent_key '${input.agent_key}' already exists for tenant '${tenantId}'` }))
        )
        return toAgent(rows[0]!)
      })

    /** The agent of this tenant; another tenant's agent or a malformed id is NotFound. */
    const get = (tenantId: string, agentId: string) =>
      Effect.gen(function* () {
        const rows = isUuid(agentId)
          ? yield* sql<AgentRow>`SELECT id, tenant_id, agent_key, name, description, created_at, updated_at
                                 FROM agents WHERE tenant_id = ${tenantId} AND id = ${agentId}`.pipe(Effect.orDie)
          : []
        const row = rows[0]
        if (!row) return yield* Effect.fail(new NotFound({ resource: "agent", id: agentId }))
        return toAgent(row)
      })

    const findByKey = (tenantId: string, agentKey: string) =>
      sql<AgentRow>`SELECT id, tenant_id, agent_key, name, description, created_at, updated_at
                    FROM agents WHERE tenant_id = ${tenantId} AND agent_key = ${agentKey}`.pipe(
        Effect.orDie,
        Effect.map((rows) => (rows[0] ? toAgent(rows[0]) : undefined))
      )

    return { list, create, get, findByKey } as const
  })
}) {}
