import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { generateOpenApiDocument } from "trpc-to-openapi"
import type { ZodOpenApiPathsObject } from "zod-openapi"
import { z } from "zod"
import { appRouter } from "../routers/index.js"
import { DOCUMENTS, type DocumentSpec, descriptionOf, EXTERNAL_DOCS, SECURITY_SCHEMES, SERVERS, TAGS } from "./document-info.js"
import { envelopeDefs } from "./envelopes.js"
import { nullableFieldProblems } from "./nullable-fields.js"
import { type Json, rewriteOperation } from "./operations.js"
import { type DocumentedProcedure, documentedProcedures } from "./procedures.js"
import { UPGRADE_OPERATIONS } from "./websocket-operations.js"

const METHOD_ORDER = ["get", "put", "post", "delete", "patch"]
const REF_PREFIX = "#/components/schemas/"
const VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** zod's `.int()` bounds (±2^53-1) say nothing to a client; drop them everywhere. */
const dropSafeIntegerBounds = (node: unknown): void => {
  if (Array.isArray(node)) return node.forEach(dropSafeIntegerBounds)
  if (!isObject(node)) return
  if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum
  if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum
  Object.values(node).forEach(dropSafeIntegerBounds)
}

const refsIn = (node: unknown, out: Set<string>): Set<string> => {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out))
  else if (isObject(node)) {
    if (typeof node.$ref === "string" && node.$ref.startsWith(REF_PREFIX)) out.add(node.$ref.slice(REF_PREFIX.length))
    Object.values(node).forEach((n) => refsIn(n, out))
  }
  return out
}

/** Only the component schemas the paths reference, transitively, sorted by name. */
const reachableSchemas = (paths: Json, all: Json): Json => {
  const seen = new Set<string>()
  const queue = [...refsIn(paths, new Set())]
  while (queue.length > 0) {
    const name = queue.pop()!
    if (seen.has(name)) continue
    if (!(name in all)) throw new Error(`$ref to missing component schema ${name}`)
    seen.add(name)
    queue.push(...refsIn(all[name], new Set()))
  }
  return Object.fromEntries([...seen].sort().map((n) => [n, all[n]]))
}

const BODY_PATH_PREFIX = "/__request-bodies/"

/**
 * trpc-to-openapi rebuilds each body schema without its id, so named bodies would be inlined.
 * One throw-away path per named body makes zod-openapi render it (as input) under its own name.
 */
const bodyRenderingPaths = (procedures: ReadonlyArray<DocumentedProcedure>): ZodOpenApiPathsObject =>
  Object.fromEntries(
    procedures.flatMap((p) =>
      p.body ? [[`${BODY_PATH_PREFIX}${p.body.id}`, { post: { requestBody: { content: { "application/json": { schema: p.body.schema } } }, responses: {} } }]] : []
    )
  )

/**
 * zod-openapi names the output rendering of a schema used in both requests and responses
 * `<id>Output`; the contract has one name per schema, so the output rendering takes the id.
 */
const mergeOutputVariants = (doc: Json): void => {
  const schemas = (doc.components as Json | undefined)?.schemas
  if (!isObject(schemas)) return
  const renames = new Map<string, string>()
  for (const name of Object.keys(schemas)) {
    const base = name.slice(0, -"Output".length)
    if (name.endsWith("Output") && !z.globalRegistry._idmap.has(name) && z.globalRegistry._idmap.has(base)) renames.set(name, base)
  }
  for (const [from, to] of renames) {
    schemas[to] = schemas[from]
    delete schemas[from]
  }
  const rewrite = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(rewrite)
    if (!isObject(node)) return
    if (typeof node.$ref === "string" && node.$ref.startsWith(REF_PREFIX)) {
      const to = renames.get(node.$ref.slice(REF_PREFIX.length))
      if (to) node.$ref = `${REF_PREFIX}${to}`
    }
    Object.values(node).forEach(rewrite)
  }
  if (renames.size > 0) rewrite(doc)
}

interface Operation {
  readonly path: string
  readonly method: string
  readonly procedure: DocumentedProcedure
  readonly operation: Json
}

/** Every served operation, rewritten from its contract meta, and every generated component schema. */
const generateOperations = (): { operations: ReadonlyArray<Operation>; schemas: Json } => {
  const procedures = documentedProcedures(appRouter)
  const generated = generateOpenApiDocument<{ contract?: unknown }>(appRouter, {
    title: "Voice API",
    version: VERSION,
    baseUrl: SERVERS[0]!.url,
    securitySchemes: SECURITY_SCHEMES,
    filter: ({ metadata }) => metadata.contract !== undefined,
    paths: bodyRenderingPaths(procedures),
    defs: envelopeDefs()
  })
  // A JSON round trip, not structuredClone: the generator reuses objects and aliases must not survive.
  const doc: Json = JSON.parse(JSON.stringify(generated))
  dropSafeIntegerBounds(doc)
  const paths = isObject(doc.paths) ? doc.paths : {}
  for (const p of Object.keys(paths)) if (p.startsWith(BODY_PATH_PREFIX)) delete paths[p]
  mergeOutputVariants(doc)
  const operations = procedures.map((procedure): Operation => {
    const method = procedure.openapi.method.toLowerCase()
    const operation = (paths[procedure.openapi.path] as Json | undefined)?.[method]
    if (!isObject(operation)) throw new Error(`${procedure.procedurePath}: not in the generated document`)
    return { path: procedure.openapi.path, method, procedure, operation: rewriteOperation(operation, procedure) }
  })
  const components = isObject(doc.components) ? doc.components : {}
  return { operations, schemas: isObject(components.schemas) ? components.schemas : {} }
}

const assemble = (spec: DocumentSpec, operations: ReadonlyArray<Operation>, allSchemas: Json): Json => {
  const mine = operations.filter((o) => spec.scope === "all" || o.procedure.contract.document === spec.scope)
  const paths: Record<string, Json> = {}
  const upgrades = spec.scope === "admin" ? [] : UPGRADE_OPERATIONS
  const entries = [...mine.map((o) => ({ path: o.path, method: o.method, operation: o.operation })), ...upgrades]
  for (const o of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const item = (paths[o.path] ??= {})
    item[o.method] = o.operation
  }
  for (const [p, item] of Object.entries(paths)) {
    paths[p] = Object.fromEntries(Object.entries(item).sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)))
  }
  const used = new Set([...mine.flatMap((o) => o.procedure.openapi.tags ?? []), ...upgrades.flatMap((u) => u.tags)])
  const tags = [...TAGS.filter((t) => used.has(t.name)), ...[...used].filter((t) => !TAGS.some((c) => c.name === t)).sort().map((name) => ({ name }))]
  return {
    openapi: "3.1.0",
    info: { title: spec.title, description: descriptionOf(spec.scope), version: VERSION },
    servers: SERVERS,
    paths,
    components: { schemas: reachableSchemas(paths, allSchemas), securitySchemes: SECURITY_SCHEMES },
    tags,
    externalDocs: EXTERNAL_DOCS
  }
}

/** The three documents, serialized exactly as they are written to `openapi/`. */
export const buildDocuments = (): Record<DocumentSpec["file"], string> => {
  const { operations, schemas } = generateOperations()
  const problems = nullableFieldProblems(schemas)
  if (problems.length > 0) throw new Error(problems.join("\n"))
  const out: Partial<Record<DocumentSpec["file"], string>> = {}
  for (const spec of DOCUMENTS) out[spec.file] = `${JSON.stringify(assemble(spec, operations, schemas), null, 2)}\n`
  return out as Record<DocumentSpec["file"], string>
}

/** Files in `dir` that are missing or differ from the freshly generated documents. */
export const staleFiles = (dir: string, docs: Readonly<Record<string, string>>): ReadonlyArray<string> =>
  Object.entries(docs)
    .filter(([file, text]) => !existsSync(join(dir, file)) || readFileSync(join(dir, file), "utf8") !== text)
    .map(([file]) => file)
