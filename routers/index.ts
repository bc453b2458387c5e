import { adminAuthRouter } from "./admin/auth.js"
import { apiKeysRouter } from "./admin/api-keys.js"
import { tenantCacheRouter } from "./admin/tenant-cache.js"
import { tenantsRouter } from "./admin/tenants.js"
import { healthRouter } from "./health.js"
import { router } from "./trpc.js"

export const appRouter = router({
  health: healthRouter,
  admin: router({
    auth: adminAuthRouter,
    tenants: tenantsRouter,
    tenantCache: tenantCacheRouter,
    apiKeys: apiKeysRouter
  })
})

export type AppRouter = typeof appRouter
