import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { normalizeE164 } from "../src/domain/e164.js"
import { Agents } from "./Agents.js"
import { AgentVersions } from "./AgentVersions.js"
import { Conflict, NotFound, ValidationFailed } from "./errors.js"
import { onUniqueViolation } from "./sql.js"
import { iso, requireTenant, requireUuid } from "./tenantScope.js"

export const ROUTE_DIRECTIONS = ["inbound", "outbound", "sip_inbound", "sip_outbound"] as const
export type PhoneNumberRouteDirection = (typeof ROUTE_DIRECTIONS)[number]
const INBOUND: ReadonlySet<string> = new Set(["inbound", "sip_inbound"])

export interface PhoneNumberRoute {
  readonly id: string
  readonly tenant_id: string
  readonly phone_number: string
  readonly direction: PhoneNumberRouteDirection
  readonly agent_id: string
  readonly agent_key: string
  readonly agent_name: string
  /** The pinned version, if any. */
  readonly agent_version_id: string | null
  readonly greeting: string | null
  /** The pinned version, else the agent's published version (rollout splits are per call and not shown). */
  readonly resolved_agent_version_id: string | null
  readonly resolved_version_number: number | null
  readonly created_at: string
  readonly updated_at: string
}

export interface UpsertRouteInput {
  readonly id?: string | null | undefined
  readonly phone_number: string
  readonly direction: PhoneNumberRouteDirection
  readonly agent_id: string
  readonly agent_version_id?: string | null | undefined
  readonly greeting?: string | null | undefined
}

interface RouteRow extends Omit<PhoneNumberRoute, "created_at" | "updated_at"> {
  readonly created_at: Date
  readonly updated_at: Date
}

const toRoute = (r: RouteRow): PhoneNumberRoute => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })

/** Binds (tenant, E.164 number, direction) to an agent and optionally a pinned version. */
export class PhoneRoutes extends Effect.Service<PhoneRoutes>()("PhoneRoutes", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agents = yield* Agents
    const versions = yield* AgentVersions

    /** Routes read from `source` (the table, or a CTE of deleted rows) with agent and resolved version. */
    const select = (prefix: Fragment, source: Fragment, where: Fragment) =>
      sql<RouteRow>`${prefix} SELECT r.id, r.tenant_id, r.phone_number, r.direction, r.agent_id, a.agent_key, a.name AS agent_name,
          r.agent_version_id, r.greeting, coalesce(pv.id, pub.id) AS resolved_agent_version_id,
          coalesce(pv.version_number, pub.version_number) AS resolved_version_number, r.created_at, r.updated_at
        FROM ${source} r
        JOIN agents a ON a.tenant_id = r.tenant_id AND a.id = r.agent_id
        LEFT JOIN agent_versions pv ON pv.tenant_id = r.tenant_id AND pv.id = r.agent_version_id
        LEFT JOIN agent_versions pub ON pub.tenant_id = r.tenant_id AND pub.agent_id = r.agent_id AND pub.status = 'published'
        WHERE ${where}
        ORDER BY r.phone_number, r.direction`.pipe(Effect.orDie, Effect.map((rows) => rows.map(toRoute)))
    const none = sql.literal("")
    const table = sql.literal("phone_number_routes")

    const list = (tenantId: string) => requireTenant(sql, tenantId).pipe(Effect.zipRight(select(none, table, sql`r.tenant_id = ${tenantId}`)))

    const byId = (tenantId: string, routeId: string) =>
      select(none, table, sql`r.tenant_id = ${tenantId} AND r.id = ${routeId}`).pipe(
        Effect.flatMap((rows) => (rows[0] ? Effect.succeed(rows[0]) : Effect.fail(new NotFound({ resource: "phone number route", id: routeId }))))
      )

    const checkInput = (tenantId: string, input: UpsertRouteInput) =>
      Effect.gen(function* () {
        const phone = normalizeE164(input.phone_number)
        if (phone === null) return yield* Effect.fail(new ValidationFailed({ message: `phone_number must be an E.164 number such as +14155550100` }))
        if (!ROUTE_DIRECTIONS.includes(input.direction)) return yield* Effect.fail(new ValidationFailed({ message: `direction must be one of ${ROUTE_DIRECTIONS.join(", ")}` }))
        const agent = yield* agents.get(tenantId, input.agent_id)
        const pinned = input.agent_version_id ?? null
        if (pinned !== null) {
          const version = yield* versions.get(tenantId, pinned)
          if (version.agent_id !== agent.id) {
            return yield* Effect.fail(new ValidationFailed({ message: `agent_version_id ${pinned} is not a version of agent ${agent.id}` }))
          }
        }
        return { phone, pinned, greeting: input.greeting || null }
      })

    /**
     * With `id`: updates that route. Without: creates or replaces the route of the same
     * (number, direction). 409 when the number/direction is taken — by another route of the
     * tenant, or for inbound directions by any other tenant.
     */
    const upsert = (tenantId: string, input: UpsertRouteInput) =>
      Effect.gen(function* () {
        yield* requireTenant(sql, tenantId)
        const id = input.id ?? null
        if (id !== null) yield* requireUuid("phone number route", id)
        const { phone, pinned, greeting } = yield* checkInput(tenantId, input)
        const conflict = () =>
          new Conflict({
            message: INBOUND.has(input.direction)
              ? `phone number ${phone} (${input.direction}) is already routed by another route or tenant`
              : `phone number ${phone} (${input.direction}) is already routed by another route of this tenant`
          })
        const saved =
          id !== null
            ? yield* sql<{ id: string }>`UPDATE phone_number_routes SET phone_number = ${phone}, direction = ${input.direction},
                  agent_id = ${input.agent_id}, agent_version_id = ${pinned}, greeting = ${greeting}, updated_at = now()
                WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`.pipe(onUniqueViolation(conflict))
            : yield* sql<{ id: string }>`INSERT INTO phone_number_routes (id, tenant_id, phone_number, direction, agent_id, agent_version_id, greeting)
                VALUES (${randomUUID()}, ${tenantId}, ${phone}, ${input.direction}, ${input.agent_id}, ${pinned}, ${greeting})
                ON CONFLICT (tenant_id, phone_number, direction) DO UPDATE SET
                  agent_id = EXCLUDED.agent_id, agent_version_id = EXCLUDED.agent_version_id, greeting = EXCLUDED.greeting, updated_at = now()
                RETURNING id`.pipe(onUniqueViolation(conflict))
        if (!saved[0]) return yield* Effect.fail(new NotFound({ resource: "phone number route", id: id ?? "" }))
        return yield* byId(tenantId, saved[0].id)
      })

    /** Deletes the route and answers it as it was. */
    const remove = (tenantId: string, routeId: string) =>
      Effect.gen(function* () {
        yield* requireUuid("phone number route", routeId)
        const rows = yield* select(
          sql`WITH d AS (DELETE FROM phone_number_routes WHERE tenant_id = ${tenantId} AND id = ${routeId} RETURNING *)`,
          sql.literal("d"),
          sql.literal("true")
        )
        if (!rows[0]) return yield* Effect.fail(new NotFound({ resource: "phone number route", id: routeId }))
        return rows[0]
      })

    /** The tenant's route for a number and direction, if any (numbers in any human E.164 form). */
    const find = (tenantId: string, phoneNumber: string, direction: PhoneNumberRouteDirection) => {
      const phone = normalizeE164(phoneNumber)
      if (phone === null) return Effect.succeed(undefined)
      return select(none, table, sql`r.tenant_id = ${tenantId} AND r.phone_number = ${phone} AND r.direction = ${direction}`).pipe(
        Effect.map((rows) => rows[0])
      )
    }

    /**
     * The tenant that owns a number for a direction — how inbound webhooks find their tenant.
     * Inbound directions have one owner (unique index); for outbound directions an answer is
     * given only when exactly one tenant routes the number.
     */
    const findTenantByNumber = (phoneNumber: string, direction: PhoneNumberRouteDirection) => {
      const phone = normalizeE164(phoneNumber)
      if (phone === null) return Effect.succeed(undefined)
      return sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM phone_number_routes
                                        WHERE phone_number = ${phone} AND direction = ${direction} LIMIT 2`.pipe(
        Effect.orDie,
        Effect.map((rows) => (rows.length === 1 ? rows[0]!.tenant_id : undefined))
      )
    }

    return { list, upsert, remove, find, findTenantByNumber } as const
  }),
  dependencies: [Agents.Default, AgentVersions.Default]
}) {}

export const isRouteDirection = (s: string): s is PhoneNumberRouteDirection => (ROUTE_DIRECTIONS as ReadonlyArray<string>).includes(s)
