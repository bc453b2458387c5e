import type { AnyProcedure, AnyRouter } from "@trpc/server"
import { z } from "zod"
import type { ContractMeta, Meta } from "../routers/trpc.js"
import { metaOf, proceduresOf } from "../src/http/routes.js"

type OpenApi = NonNullable<Meta["openapi"]>

export interface DocumentedProcedure {
  readonly procedurePath: string
  readonly openapi: OpenApi
  readonly contract: ContractMeta
  /** Named component the JSON request body is, when there is one. */
  readonly body?: { readonly id: string; readonly schema: z.ZodType }
}

const idOf = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.id

const pathParamsOf = (path: string): ReadonlyArray<string> => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)

/**
 * The named schema the body is: the input itself when it has an id, else the named object the
 * input extends with path parameters only (`Named.extend({ tenant_id })` keeps Named's field
 * schemas by identity, but zod drops the id on extend).
 */
const bodyOf = (input: unknown, path: string): DocumentedProcedure["body"] => {
  if (!(input instanceof z.ZodObject)) return undefined
  const own = idOf(input)
  if (own) return { id: own, schema: input }
  const shape: Record<string, unknown> = input.shape
  const params = pathParamsOf(path)
  let best: { id: string; schema: z.ZodObject } | undefined
  for (const [id, candidate] of z.globalRegistry._idmap) {
    if (!(candidate instanceof z.ZodObject)) continue
    const keys = Object.keys(candidate.shape)
    if (keys.length === 0 || (best && keys.length <= Object.keys(best.schema.shape).length)) continue
    const sameFields = keys.every((k) => shape[k] === candidate.shape[k])
    const extrasArePathParams = Object.keys(shape).every((k) => k in candidate.shape || params.includes(k))
    if (sameFields && extrasArePathParams) best = { id, schema: candidate }
  }
  return best
}

/** z.date() renders as a bare string (no format) and is not what REST answers: use z.iso.datetime(). */
const dateFieldPaths = (schema: z.ZodType): ReadonlyArray<string> => {
  const found: Array<string> = []
  z.toJSONSchema(schema, {
    unrepresentable: "any",
    io: "output",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") found.push(ctx.path.join("."))
    }
  })
  return found
}

const outputOf = (p: AnyProcedure): unknown => (p._def as { output?: unknown }).output

/** Every procedure the REST surface serves (`meta.openapi` with `meta.contract`), with its body component. */
export const documentedProcedures = (router: AnyRouter): ReadonlyArray<DocumentedProcedure> => {
  const out: Array<DocumentedProcedure> = []
  for (const [procedurePath, proc] of proceduresOf(router)) {
    const meta = metaOf(proc)
    if (!meta?.openapi || !meta.contract || meta.openapi.enabled === false) continue
    const output = outputOf(proc)
    if (output instanceof z.ZodType) {
      const dates = dateFieldPaths(output)
      if (dates.length > 0) throw new Error(`${procedurePath}: output uses z.date() at ${dates.join(", ")}; use z.iso.datetime()`)
    }
    const body = meta.openapi.method === "GET" ? undefined : bodyOf(proc._def.inputs[0], meta.openapi.path)
    out.push({ procedurePath, openapi: meta.openapi, contract: meta.contract, ...(body ? { body } : {}) })
  }
  return out
}
