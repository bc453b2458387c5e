import { Effect } from "effect"
import { AdminAuth, ADMIN_SESSION_COOKIE, type AdminCredentials } from "../effects/AdminAuth.js"
import { RateLimiter } from "../effects/RateLimiter.js"
import { TenantAuth } from "../effects/TenantAuth.js"
import { headerValue, type RequestContext } from "./context.js"
import { baseProcedure, middleware, run } from "./trpc.js"

export const cookieValue = (ctx: RequestContext, name: string): string | undefined => {
  const header = headerValue(ctx.headers, "cookie")
  if (!header) return undefined
  for (const part of header.split(";")) {
    const eq = part.indexOf("=")
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookie(part.slice(eq + 1).trim())
  }
  return undefined
}

// A malformed %-escape is the client's problem: keep the raw text (it matches no session) rather than throw a 500.
const decodeCookie = (raw: string): string => {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export const adminCredentials = (ctx: RequestContext): AdminCredentials => {
  const adminKey = headerValue(ctx.headers, "x-admin-key")
  const sessionToken = cookieValue(ctx, ADMIN_SESSION_COOKIE)
  const authorization = headerValue(ctx.headers, "authorization")
  return {
    ...(adminKey !== undefined ? { adminKey } : {}),
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(authorization !== undefined ? { authorization } : {})
  }
}

// Authentication and the tenant's rate limit in one effect: one fiber and one promise per request, not two.
const tenantAuth = middleware(async ({ ctx, next }) => {
  const tenant = await run(
    ctx,
    TenantAuth.authenticate(headerValue(ctx.headers, "authorization")).pipe(
      Effect.tap((t) => {
        ctx.log.tenantId = t.tenantId
        return RateLimiter.check("tenant", t.tenantId)
      })
    )
  )
  return next({ ctx: { tenant } })
})

const adminAuth = middleware(async ({ ctx, next }) => {
  const admin = await run(ctx, AdminAuth.authorize(adminCredentials(ctx)))
  return next({ ctx: { admin } })
})

/** No credential (health probes, login, access requests). */
export const publicProcedure = baseProcedure
/** `Authorization: Bearer` with a tenant API key or legacy tenant token; `ctx.tenant` is the caller. */
export const tenantProcedure = baseProcedure.use(tenantAuth)
/** `x-admin-key` or the admin session cookie; 404 when admin is not configured. */
export const adminProcedure = baseProcedure.use(adminAuth)
