import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Option, Schedule, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { generateApiKeyToken, sha256Hex } from "../src/domain/secrets.js"
import { AppConfig } from "./AppConfig.js"
import { NotFound } from "./errors.js"
import { requireTenant, requireUuid } from "./tenantScope.js"

export interface ApiKeyRow {
  readonly id: string
  readonly tenant_id: string
  readonly label: string | null
  readonly key_prefix: string
  readonly created_at: Date
  readonly last_used_at: Date | null
  readonly revoked_at: Date | null
}

const TOUCH_INTERVAL_MS = 60_000
/**
 * How long this process trusts an active key without asking the database. Revoking (or deleting
 * the tenant) drops the entry here at once and, on a real Postgres, tells every other instance
 * through NOTIFY on CACHE_CHANNEL; this bound only matters if that message is lost (a listener
 * reconnecting). Unknown tokens are never cached, so a new key works at once everywhere.
 */
export const KEY_CACHE_TTL_MS = 5_000
const KEY_CACHE_MAX = 10_000
const CACHE_CHANNEL = "voice_api_key_cache"

interface ActiveKey {
  readonly id: string
  readonly tenant_id: string
  readonly key_prefix: string
}

/** Generated tenant API keys: only a SHA-256 hash and a short display prefix are stored. */
export class ApiKeys extends Effect.Service<ApiKeys>()("ApiKeys", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const pg = yield* PgClient.PgClient
    const config = yield* AppConfig
    // Per-process memory of the last touch, so an authenticated request writes at most once a minute per key.
    const touchedAt = new Map<string, number>()
    // key hash → active key and when it was read; keyed by hash so the token itself is never kept.
    const active = new Map<string, { readonly key: ActiveKey; readonly readAt: number }>()
    const forgetKey = (keyId: string) => {
      for (const [hash, e] of active) if (e.key.id === keyId) active.delete(hash)
    }
    const forgetTenantHere = (tenantId: string) => {
      for (const [hash, e] of active) if (e.key.tenant_id === tenantId) active.delete(hash)
    }
    // The embedded database is one process and delivers no NOTIFY between connections.
    const shared = Option.isSome(config.databaseUrl)
    const tellOthers = (message: { key_id: string } | { tenant_id: string }) =>
      shared
        // sql-pg 0.53's notify sends `NOTIFY ch, $1`, which Postgres rejects; pg_notify takes parameters.
        ? sql`SELECT pg_notify(${CACHE_CHANNEL}, ${JSON.stringify(message)})`.pipe(Effect.catchAll((e) => Effect.logWarning("api key cache notify failed", e))) : Effect.void
    if (shared) {
      yield* pg.listen(CACHE_CHANNEL).pipe(
        Stream.runForEach((payload) =>
          Effect.sync(() => {
            let m: unknown
            try {
              m = JSON.parse(payload)
            } catch {
              return
            }
            if (typeof m !== "object" || m === null) return
            if ("key_id" in m && typeof m.key_id === "string") forgetKey(m.key_id)
            if ("tenant_id" in m && typeof m.tenant_id === "string") forgetTenantHere(m.tenant_id)
          })
        ),
        Effect.tapErrorCause((cause) => Effect.logWarning("api key cache listener lost; reconnecting", cause)),
        Effect.retry(Schedule.spaced("1 second")),
        Effect.forkScoped
      )
    }

    /** A deleted tenant's keys are gone with it: a tenant re-created under its id must not inherit them. */
    const forgetTenant = (tenantId: string) =>
      Effect.sync(() => forgetTenantHere(tenantId)).pipe(Effect.zipRight(tellOthers({ tenant_id: tenantId })))

    const tenantExists = (tenantId: string) => requireTenant(sql, tenantId)

    const list = (tenantId: string) =>
      tenantExists(tenantId).pipe(
        Effect.zipRight(
          sql<ApiKeyRow>`SELECT id, tenant_id, label, key_prefix, created_at, last_used_at, revoked_at
                         FROM tenant_api_keys WHERE tenant_id = ${tenantId} ORDER BY created_at DESC, id DESC`.pipe(Effect.orDie)
        )
      )

    const create = (tenantId: string, label: string | null) =>
      Effect.gen(function* () {
        yield* tenantExists(tenantId)
        const { token, prefix } = generateApiKeyToken()
        const rows = yield* sql<ApiKeyRow>`INSERT INTO tenant_api_keys (id, tenant_id, label, key_prefix, key_hash)
            VALUES (${randomUUID()}, ${tenantId}, ${label}, ${prefix}, ${sha256Hex(token)})
            RETURNING id, tenant_id, label, key_prefix, created_at, last_used_at, revoked_at`.pipe(Effect.orDie)
        return { key: rows[0]!, token }
      })

    /** Revoking is idempotent: a second revoke returns the key with its first revocation time. */
    const revoke = (tenantId: string, keyId: string) =>
      Effect.gen(function* () {
        yield* requireUuid("api key", keyId)
        const rows = yield* sql<ApiKeyRow>`UPDATE tenant_api_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE tenant_id = ${tenantId} AND id = ${keyId}
            RETURNING id, tenant_id, label, key_prefix, created_at, last_used_at, revoked_at`.pipe(Effect.orDie)
        const row = rows[0]
        if (!row) return yield* Effect.fail(new NotFound({ resource: "api key", id: keyId }))
        touchedAt.delete(row.id)
        forgetKey(row.id)
        yield* tellOthers({ key_id: row.id })
        return row
      })

    const lookup = (hash: string, now: number): Effect.Effect<ActiveKey | undefined> => {
      const hit = active.get(hash)
      if (hit && now - hit.readAt < KEY_CACHE_TTL_MS) return Effect.succeed(hit.key)
      active.delete(hash)
      return sql<ActiveKey>`SELECT id, tenant_id, key_prefix FROM tenant_api_keys WHERE key_hash = ${hash} AND revoked_at IS NULL`.pipe(
        Effect.orDie,
        Effect.map((rows) => {
          const key = rows[0]
          if (key) {
            if (active.size >= KEY_CACHE_MAX) active.delete(active.keys().next().value!)
            active.set(hash, { key, readAt: now })
          }
          return key
        })
      )
    }

    /**
     * The active key for a presented token, or undefined. A revocation through this process is
     * seen by the very next request, one made elsewhere within KEY_CACHE_TTL_MS.
     */
    const authenticate = (token: string) =>
      Effect.gen(function* () {
        const now = Date.now()
        const key = yield* lookup(sha256Hex(token), now)
        if (!key) return undefined
        if ((touchedAt.get(key.id) ?? 0) + TOUCH_INTERVAL_MS <= now) {
          touchedAt.set(key.id, now)
          yield* sql`UPDATE tenant_api_keys SET last_used_at = now()
                     WHERE id = ${key.id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`.pipe(Effect.orDie)
        }
        return key
      })

    return { list, create, revoke, authenticate, forgetTenant } as const
  })
}) {}
