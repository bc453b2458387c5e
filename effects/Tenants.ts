import { Effect } from "effect"
import { etagOf, matchesIfMatch } from "../src/domain/canonical-json.js"
import { sha256Hex } from "../src/domain/secrets.js"
import {
  isValidTenantId,
  mergeTenantConfigPatch,
  redactTenantConfig,
  restoreRedactedSecrets,
  validateTenantConfig
} from "../src/domain/tenant-config.js"
import { ApiKeys } from "./ApiKeys.js"
import { Conflict, NotFound, PreconditionFailed, ValidationFailed } from "./errors.js"
import { onUniqueViolation } from "./sql.js"
import { TenantCache } from "./TenantCache.js"
import { credentialsOf } from "./TwilioCredentials.js"
import { type TenantConfig, TenantsRepo } from "./TenantsRepo.js"

export interface TenantView {
  readonly tenant_id: string
  readonly etag: string
  readonly config: TenantConfig
}

const view = (tenantId: string, config: TenantConfig, etag: string): TenantView => ({
  tenant_id: tenantId,
  etag,
  config: redactTenantConfig(config)
})

const legacyHashOf = (config: TenantConfig): string | null =>
  typeof config.auth_token === "string" && config.auth_token.length > 0 ? sha256Hex(config.auth_token) : null

const checkId = (tenantId: string) =>
  isValidTenantId(tenantId) ? Effect.void : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))

const checkValid = (config: TenantConfig) => {
  const v = validateTenantConfig(config)
  return v.ok ? Effect.void : Effect.fail(new ValidationFailed({ message: v.error }))
}

/** Tenant administration: the stored document (source of truth) and the active cache. */
export class Tenants extends Effect.Service<Tenants>()("Tenants", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* TenantsRepo
    const cache = yield* TenantCache
    const keys = yield* ApiKeys

    /**
     * Read-check-write in one transaction so two admins racing with the same If-Match
     * cannot both win. `build` computes the new document from the stored one.
     */
    const write = (tenantId: string, ifMatch: string | undefined, build: (stored: TenantConfig | undefined) => Effect.Effect<TenantConfig, ValidationFailed | NotFound>) =>
      Effect.gen(function* () {
        const stored = yield* repo.findForUpdate(tenantId).pipe(Effect.orDie)
        if (ifMatch !== undefined && (!stored || !matchesIfMatch(ifMatch, stored.etag))) {
          return yield* Effect.fail(new PreconditionFailed({ message: "If-Match does not match the current tenant etag" }))
        }
        const config = yield* build(stored?.config)
        yield* checkValid(config)
        const etag = etagOf(config)
        yield* repo
          .save({ tenantId, config, etag, legacyTokenHash: legacyHashOf(config) })
          .pipe(onUniqueViolation(() => new Conflict({ message: "auth_token is already used by another tenant" })))
        return { config, etag }
      }).pipe(
        repo.withTransaction,
        Effect.catchTag("SqlError", (e) => Effect.die(e)),
        Effect.tap(({ config, etag }) => cache.refresh(tenantId, config, etag))
      )

    const list = (limit: number, offset: number) =>
      repo.list(limit, offset).pipe(
        Effect.map(({ rows, total }) => ({ total, tenants: rows.map((r) => view(r.tenant_id, r.config, r.etag)) }))
      )

    const get = (tenantId: string) =>
      checkId(tenantId).pipe(
        Effect.zipRight(repo.find(tenantId)),
        Effect.flatMap((row) => (row ? Effect.succeed(view(row.tenant_id, row.config, row.etag)) : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))))
      )

    const upsert = (tenantId: string, doc: TenantConfig, ifMatch: string | undefined) =>
      Effect.gen(function* () {
        if (!isValidTenantId(tenantId)) {
          return yield* Effect.fail(new ValidationFailed({ message: "tenant_id must be 1-128 characters of letters, digits, '_', '.', '-'" }))
        }
        if (doc.tenant_id !== undefined && doc.tenant_id !== tenantId) {
          return yield* Effect.fail(new ValidationFailed({ message: `body tenant_id '${String(doc.tenant_id)}' does not match the path '${tenantId}'` }))
        }
        const saved = yield* write(tenantId, ifMatch, (stored) =>
          Effect.succeed({ ...restoreRedactedSecrets(doc, stored ?? {}), tenant_id: tenantId })
        )
        return { tenant_id: tenantId, etag: saved.etag }
      })

    const patchRuntime = (tenantId: string, patch: TenantConfig, ifMatch: string | undefined) =>
      checkId(tenantId).pipe(
        Effect.zipRight(
          write(tenantId, ifMatch, (stored) =>
            stored
              ? Effect.succeed({ ...mergeTenantConfigPatch(stored, patch), tenant_id: tenantId })
              : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))
          )
        ),
        Effect.map(({ config, etag }) => view(tenantId, config, etag))
      )

    const remove = (tenantId: string) =>
      checkId(tenantId).pipe(
        Effect.zipRight(repo.remove(tenantId)),
        Effect.flatMap((deleted) => (deleted ? Effect.zipRight(keys.forgetTenant(tenantId), cache.evict(tenantId)) : Effect.fail(new NotFound({ resource: "tenant", id: tenantId }))))
      )

    const validate = (doc: TenantConfig) =>
      checkValid(doc).pipe(Effect.as(runtimeSummary(doc)))

    const runtime = (tenantId: string) =>
      checkId(tenantId).pipe(
        Effect.zipRight(cache.get(tenantId)),
        Effect.map((e) => view(e.tenantId, e.config, e.etag))
      )

    const reload = (tenantId: string) =>
      checkId(tenantId).pipe(
        Effect.zipRight(cache.reload(tenantId)),
        Effect.map((e) => view(e.tenantId, e.config, e.etag))
      )

    const reloadCached = Effect.gen(function* () {
      const entries = yield* cache.cached
      const failures: Array<{ tenant_id: string; error: string }> = []
      let reloaded = 0
      for (const e of entries) {
        const r = yield* Effect.either(cache.reload(e.tenantId))
        if (r._tag === "Right") reloaded++
        else failures.push({ tenant_id: e.tenantId, error: "tenant no longer exists; evicted" })
      }
      return { attempted: entries.length, reloaded, failures }
    })

    return { list, get, upsert, patchRuntime, remove, validate, runtime, reload, reloadCached } as const
  }),
  dependencies: [TenantsRepo.Default, TenantCache.Default, ApiKeys.Default]
}) {}

/** Complete Twilio credentials (account SID + auth token or API key pair): the same rule the Twilio service uses. */
export const twilioConfigured = (config: TenantConfig): boolean => credentialsOf(config) !== undefined

export const elevenlabsConfigured = (config: TenantConfig): boolean => {
  const e = config.elevenlabs
  return typeof e === "object" && e !== null && typeof (e as Record<string, unknown>).api_key === "string"
}

export const audioOutputProvider = (config: TenantConfig): "openai" | "elevenlabs" =>
  config.audio_output_provider === "elevenlabs" ? "elevenlabs" : "openai"

export const runtimeSummary = (config: TenantConfig) => ({
  tenant_id: typeof config.tenant_id === "string" ? config.tenant_id : null,
  org_id: typeof config.org_id === "string" ? config.org_id : null,
  model: typeof config.model === "string" ? config.model : null,
  voice: typeof config.voice === "string" ? config.voice : null,
  twilio_configured: twilioConfigured(config),
  audio_output_provider: audioOutputProvider(config),
  elevenlabs_configured: elevenlabsConfigured(config),
  legacy_bearer_configured: typeof config.auth_token === "string" && config.auth_token.length > 0
})
