import { Layer, ManagedRuntime } from "effect"
import { AdminAuth } from "./AdminAuth.js"
import { ApiKeys } from "./ApiKeys.js"
import { AppConfig } from "./AppConfig.js"
import { DatabaseLive } from "./Database.js"
import { Health } from "./Health.js"
import { LoginThrottle } from "./LoginThrottle.js"
import { RateLimiter } from "./RateLimiter.js"
import { StreamAuth } from "./StreamAuth.js"
import { TenantAuth } from "./TenantAuth.js"
import { TenantCache } from "./TenantCache.js"
import { Tenants } from "./Tenants.js"
import { TenantsRepo } from "./TenantsRepo.js"

/** Every service a procedure may use, built once over config + database. */
export const ServicesLayer = Layer.mergeAll(
  Tenants.Default,
  TenantCache.Default,
  TenantsRepo.Default,
  ApiKeys.Default,
  TenantAuth.Default,
  AdminAuth.Default,
  LoginThrottle.Default,
  RateLimiter.Default,
  StreamAuth.Default,
  Health.Default
)

export const makeAppLayer = () => {
  const base = Layer.provideMerge(DatabaseLive, AppConfig.layer)
  return Layer.provideMerge(ServicesLayer, base)
}

export type AppServices = Layer.Layer.Success<ReturnType<typeof makeAppLayer>>
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, unknown>
