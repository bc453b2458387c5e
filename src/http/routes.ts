import type { AnyProcedure, AnyRouter } from "@trpc/server"
import type { ContractMeta, Meta } from "../../routers/trpc.js"

export interface RestRoute {
  readonly method: string
  readonly template: string
  readonly segments: ReadonlyArray<{ readonly literal: string } | { readonly param: string }>
  readonly procedurePath: string
  readonly type: "query" | "mutation"
  readonly contract: ContractMeta
  readonly inputSchema: unknown
}

const isProcedure = (v: unknown): v is AnyProcedure => typeof v === "function" && "_def" in v

const collect = (record: Record<string, unknown>, prefix: string, out: Array<[string, AnyProcedure]>) => {
  for (const [k, v] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${k}` : k
    if (isProcedure(v)) out.push([path, v])
    else if (typeof v === "object" && v !== null) collect(v as Record<string, unknown>, path, out)
  }
}

export const proceduresOf = (router: AnyRouter): ReadonlyArray<[string, AnyProcedure]> => {
  const out: Array<[string, AnyProcedure]> = []
  collect(router._def.record, "", out)
  return out
}

export const metaOf = (p: AnyProcedure): Meta | undefined => p._def.meta as Meta | undefined

/** Routes from every procedure with `meta.openapi`; static segments sort before parameters. */
export const buildRoutes = (router: AnyRouter): ReadonlyArray<RestRoute> => {
  const routes: Array<RestRoute> = []
  for (const [path, proc] of proceduresOf(router)) {
    const meta = metaOf(proc)
    if (!meta?.openapi || !meta.contract || meta.openapi.enabled === false) continue
    const template = meta.openapi.path
    routes.push({
      method: meta.openapi.method,
      template,
      segments: template
        .split("/")
        .filter(Boolean)
        .map((s) => (s.startsWith("{") && s.endsWith("}") ? { param: s.slice(1, -1) } : { literal: s })),
      procedurePath: path,
      type: proc._def.type === "query" ? "query" : "mutation",
      contract: meta.contract,
      inputSchema: proc._def.inputs[0]
    })
  }
  const key = (r: RestRoute) => r.segments.map((s) => ("literal" in s ? "0" : "1")).join("")
  return routes.sort((a, b) => key(a).localeCompare(key(b)))
}

export interface RouteMatch {
  readonly route: RestRoute
  readonly params: Record<string, string>
}

export type MatchResult = { readonly kind: "match"; readonly match: RouteMatch } | { readonly kind: "method_not_allowed"; readonly route: RestRoute } | { readonly kind: "none" }

/** Exact, case-sensitive match; among candidates the one with more literal segments first wins. */
export const matchRoute = (routes: ReadonlyArray<RestRoute>, method: string, pathname: string): MatchResult => {
  const parts = pathname.split("/").filter(Boolean)
  let sameTemplate: RestRoute | undefined
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i]!
      const part = parts[i]!
      if ("literal" in seg) {
        if (seg.literal !== part) {
          ok = false
          break
        }
      } else {
        try {
          params[seg.param] = decodeURIComponent(part)
        } catch {
          ok = false
          break
        }
      }
    }
    if (!ok) continue
    if (route.method === method) return { kind: "match", match: { route, params } }
    sameTemplate ??= route
  }
  return sameTemplate ? { kind: "method_not_allowed", route: sameTemplate } : { kind: "none" }
}
