import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { isUuid } from "../src/domain/uuid.js"
import { NotFound } from "./errors.js"

/** Fails with NotFound(tenant) unless the tenant exists; every tenant-scoped admin operation starts here. */
export const requireTenant = (sql: SqlClient.SqlClient, tenantId: string) =>
  sql<{ n: number }>`SELECT 1 AS n FROM tenants WHERE tenant_id = ${tenantId}`.pipe(
    Effect.orDie,
    Effect.flatMap((rows) => (rows.length > 0 ? Effect.void : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))))
  )

/** A malformed id in a path cannot name a row: NotFound, before any query casts it to uuid. */
export const requireUuid = (resource: string, id: string) =>
  isUuid(id) ? Effect.void : Effect.fail(new NotFound({ resource, id }))

export const iso = (d: Date): string => d.toISOString()
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null)
