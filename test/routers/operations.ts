import { randomUUID } from "node:crypto"
import { buildRoutes, metaOf, proceduresOf, type RestRoute } from "../../src/http/routes.js"
import { appRouter } from "../../routers/index.js"

/** Every operation the server serves over REST, enumerated the way the server builds them. */
export const routes: ReadonlyArray<RestRoute> = buildRoutes(appRouter)

export type Surface = "admin" | "tenant" | "other" | "open"

export const surfaceOf = (r: RestRoute): Surface => {
  const s = r.contract.security
  if (s.length === 0) return "open"
  if (s.includes("admin_key") || s.includes("admin_session")) return "admin"
  if (s.includes("bearer_auth")) return "tenant"
  return "other"
}

/**
 * Operations the contract secures but documents with no 401: the login page's session
 * probe and logout answer everyone (`authenticated: false` without a credential).
 */
export const CREDENTIAL_OPTIONAL = new Set(["get_admin_session_status", "admin_logout"])

const ids = new Map(proceduresOf(appRouter).map(([path, p]) => [path, metaOf(p)?.openapi?.operationId]))
export const operationId = (r: RestRoute): string => ids.get(r.procedurePath) ?? `${r.method} ${r.template}`

/** A concrete path: `tenant_id` gets the given tenant, every other parameter a random UUID. */
export const fillPath = (r: RestRoute, tenantId: string): string =>
  "/" + r.segments.map((s) => ("literal" in s ? s.literal : encodeURIComponent(s.param === "tenant_id" ? tenantId : randomUUID()))).join("/")

export const label = (r: RestRoute) => `${r.method} ${r.template}`

export const hasBody = (r: RestRoute) => r.method !== "GET" && r.method !== "HEAD"

export const isForm = (r: RestRoute) => r.contract.requestBody === "form"

/** An empty body of the kind the operation reads (JSON object, or a Twilio-style form). */
export const emptyBodyFor = (r: RestRoute, json: Record<string, unknown> = {}): { rawBody?: string; headers?: Record<string, string> } =>
  !hasBody(r)
    ? {}
    : isForm(r)
      ? { rawBody: "", headers: { "content-type": "application/x-www-form-urlencoded" } }
      : { rawBody: JSON.stringify(json), headers: { "content-type": "application/json" } }

/** Destructive operations last, so the fixtures they remove are still there for the rest. */
export const destructiveLast = (list: ReadonlyArray<RestRoute>): Array<RestRoute> =>
  [...list].sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"))
