import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export type TenantConfig = Record<string, unknown>

export interface TenantRow {
  readonly tenant_id: string
  readonly config: TenantConfig
  readonly etag: string
  readonly created_at: Date
  readonly updated_at: Date
}

/** SQL for the tenants table. Infrastructure failures are defects; callers decide what "absent" means. */
export class TenantsRepo extends Effect.Service<TenantsRepo>()("TenantsRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const find = (tenantId: string) =>
      sql<TenantRow>`SELECT tenant_id, config, etag, created_at, updated_at FROM tenants WHERE tenant_id = ${tenantId}`.pipe(
        Effect.map((rows) => rows[0]),
        Effect.orDie
      )

    const findForUpdate = (tenantId: string) =>
      sql<TenantRow>`SELECT tenant_id, config, etag, created_at, updated_at FROM tenants WHERE tenant_id = ${tenantId} FOR UPDATE`.pipe(
        Effect.map((rows) => rows[0])
      )

    const list = (limit: number, offset: number) =>
      Effect.all({
        rows: sql<TenantRow>`SELECT tenant_id, config, etag, created_at, updated_at FROM tenants ORDER BY tenant_id LIMIT ${limit} OFFSET ${offset}`,
        total: sql<{ n: number }>`SELECT count(*) AS n FROM tenants`.pipe(Effect.map((r) => r[0]?.n ?? 0))
      }).pipe(Effect.orDie)

    const save = (row: { tenantId: string; config: TenantConfig; etag: string; legacyTokenHash: string | null }) =>
      sql`INSERT INTO tenants (tenant_id, config, etag, legacy_token_hash)
          VALUES (${row.tenantId}, ${JSON.stringify(row.config)}::jsonb, ${row.etag}, ${row.legacyTokenHash})
          ON CONFLICT (tenant_id) DO UPDATE
            SET config = EXCLUDED.config, etag = EXCLUDED.etag,
                legacy_token_hash = EXCLUDED.legacy_token_hash, updated_at = now()`

    const remove = (tenantId: string) =>
      sql<{ tenant_id: string }>`DELETE FROM tenants WHERE tenant_id = ${tenantId} RETURNING tenant_id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie
      )

    const findIdByLegacyTokenHash = (hash: string) =>
      sql<{ tenant_id: string }>`SELECT tenant_id FROM tenants WHERE legacy_token_hash = ${hash}`.pipe(
        Effect.map((rows) => rows[0]?.tenant_id),
        Effect.orDie
      )

    return { find, findForUpdate, list, save, remove, findIdByLegacyTokenHash, withTransaction: sql.withTransaction } as const
  })
}) {}
