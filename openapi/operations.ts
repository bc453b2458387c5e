import { envelopeForStatus } from "../routers/envelopes.js"
import { errorResponse, OWN_BODY_STATUSES } from "./envelopes.js"
import type { DocumentedProcedure } from "./procedures.js"

export type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)
const objectAt = (v: unknown, ...keys: ReadonlyArray<string>): Json | undefined => {
  let cur: unknown = v
  for (const k of keys) cur = isObject(cur) ? cur[k] : undefined
  return isObject(cur) ? cur : undefined
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })

/** The success response: trpc-to-openapi always writes it under 200; we move it to the contract's status. */
const TEXT_BODIES = { xml: "text/xml", text: "text/plain" } as const

const successResponse = (generated: Json, p: DocumentedProcedure): Json => {
  const ok = objectAt(generated, "responses", "200")
  const schema = objectAt(ok, "content", "application/json", "schema")
  if (!ok || !schema) throw new Error(`${p.procedurePath}: no generated success response`)
  const headers = isObject(ok.headers) ? { headers: ok.headers } : {}
  const description = p.openapi.successDescription ?? "Successful response"
  const kind = p.contract.responseBody ?? "json"
  // TwiML and plain-text answers: the procedure returns a string the server sends as is.
  if (kind !== "json") return { description, ...headers, content: { [TEXT_BODIES[kind]]: { schema: { type: "string" } } } }
  const named = p.contract.responseSchema
  if (named && schema.$ref !== ref(named).$ref) {
    throw new Error(`${p.procedurePath}: output must carry .meta({ id: "${named}" }) (generated ${String(schema.$ref ?? "an inline schema")})`)
  }
  return { description, ...headers, content: { "application/json": { schema: named ? ref(named) : schema } } }
}

const responsesOf = (generated: Json, p: DocumentedProcedure): Json => {
  const success = successResponse(generated, p)
  const responses: Json = { [String(p.contract.successStatus ?? 200)]: success }
  const own = new Set(OWN_BODY_STATUSES[p.openapi.operationId ?? ""] ?? [])
  // CONTRACT-NOTES decision 5: every secured operation can answer 401, listed or not.
  const statuses = new Set([...p.contract.errors, ...(p.contract.security.length > 0 ? [401] : [])])
  for (const status of [...statuses].sort((a, b) => a - b)) {
    responses[String(status)] = own.has(status)
      ? { ...success, description: `Answered with the same body as the success response` }
      : errorResponse(envelopeForStatus(p.contract.envelope, status), status)
  }
  return responses
}

const requestBodyOf = (generated: Json, p: DocumentedProcedure): Json | undefined => {
  const body = objectAt(generated, "requestBody")
  if (!body || !p.body) return body
  const content = objectAt(body, "content") ?? {}
  return { ...body, content: Object.fromEntries(Object.keys(content).map((type) => [type, { schema: ref(p.body!.id) }])) }
}

/**
 * Rewrites one generated operation from its procedure's contract meta. `generated` must be a
 * private copy: the generator shares cached objects between operations.
 */
export const rewriteOperation = (generated: Json, p: DocumentedProcedure): Json => {
  const parameters = Array.isArray(generated.parameters) && generated.parameters.length > 0 ? generated.parameters : undefined
  const requestBody = requestBodyOf(generated, p)
  const security = p.contract.security.map((scheme) => ({ [scheme]: [] }))
  return {
    tags: [...(p.openapi.tags ?? [])],
    ...(p.openapi.summary ? { summary: p.openapi.summary } : {}),
    ...(p.openapi.description ? { description: p.openapi.description } : {}),
    operationId: p.openapi.operationId,
    ...(parameters ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(generated, p),
    ...(security.length > 0 ? { security } : {}),
    ...(p.openapi.deprecated ? { deprecated: true } : {})
  }
}
