import { Effect } from "effect"
import { API_KEY_PREFIX, sha256Hex } from "../src/domain/secrets.js"
import { AppConfig } from "./AppConfig.js"
import { ApiKeys } from "./ApiKeys.js"
import { Unauthorized } from "./errors.js"
import { TenantCache } from "./TenantCache.js"
import type { TenantConfig } from "./TenantsRepo.js"
import { TenantsRepo } from "./TenantsRepo.js"

export interface TenantPrincipal {
  readonly tenantId: string
  readonly config: TenantConfig
  readonly credential: "api_key" | "legacy_token"
  readonly keyId?: string
}

const bearerOf = (header: string | undefined): string | undefined => {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m?.[1]
}

/** Resolves `Authorization: Bearer …` to a tenant: generated API keys first, then legacy tenant tokens. */
export class TenantAuth extends Effect.Service<TenantAuth>()("TenantAuth", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const keys = yield* ApiKeys
    const repo = yield* TenantsRepo
    const cache = yield* TenantCache
    const rejected = new Unauthorized({ message: "invalid or revoked bearer token" })

    const authenticate = (authorization: string | undefined) =>
      Effect.gen(function* () {
        const token = bearerOf(authorization)
        if (!token) return yield* Effect.fail(new Unauthorized({ message: "missing bearer token" }))
        if (token.startsWith(API_KEY_PREFIX)) {
          const key = yield* keys.authenticate(token)
          if (!key) return yield* Effect.fail(rejected)
          const tenant = yield* cache.get(key.tenant_id, key.key_prefix).pipe(Effect.catchTag("NotFound", () => Effect.fail(rejected)))
          return { tenantId: tenant.tenantId, config: tenant.config, credential: "api_key", keyId: key.id } satisfies TenantPrincipal
        }
        if (!config.legacyTenantBearerAuthEnabled) return yield* Effect.fail(rejected)
        const hash = sha256Hex(token)
        const tenantId = yield* repo.findIdByLegacyTokenHash(hash)
        if (!tenantId) return yield* Effect.fail(rejected)
        const tenant = yield* cache.get(tenantId, `legacy:${hash.slice(0, 12)}`).pipe(Effect.catchTag("NotFound", () => Effect.fail(rejected)))
        // The cached config may predate a token change made on another instance.
        if (tenant.config.auth_token !== token) return yield* Effect.fail(rejected)
        return { tenantId, config: tenant.config, credential: "legacy_token" } satisfies TenantPrincipal
      })

    return { authenticate } as const
  }),
  dependencies: [ApiKeys.Default, TenantsRepo.Default, TenantCache.Default]
}) {}
