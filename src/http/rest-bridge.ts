import { callTRPCProcedure, type AnyRouter } from "@trpc/server"
import type { IncomingMessage } from "node:http"
import type { RequestContext } from "../../routers/context.js"
import type { HttpProblem } from "../../routers/error-table.js"
import { asTrpcError, problemOfTrpcError } from "../../routers/problems.js"
import { readFormBody, readJsonBody } from "./body.js"
import { queryInput } from "./query.js"
import type { RestRoute } from "./routes.js"

export type RestOutcome =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly problem: HttpProblem }

const bad = (message: string, code = "VALIDATION_ERROR"): RestOutcome => ({ ok: false, problem: { status: 400, code, message } })

/**
 * Builds the procedure input from path, query and JSON body, then calls the procedure
 * through tRPC itself, so REST and tRPC run the same middleware, validation and code.
 */
export const callRestRoute = async (
  router: AnyRouter,
  route: RestRoute,
  params: Record<string, string>,
  url: URL,
  req: IncomingMessage,
  ctx: RequestContext,
  bodyLimit: number
): Promise<RestOutcome> => {
  let body: unknown
  if (route.contract.requestBody === "form") {
    const read = await readFormBody(req, bodyLimit)
    if (!read.ok) return { ok: false, problem: { status: read.reason === "too_large" ? 413 : 415, code: read.reason === "too_large" ? "PAYLOAD_TOO_LARGE" : "UNSUPPORTED_MEDIA_TYPE", message: read.message } }
    ctx.form = read.value
    body = Object.fromEntries(read.value)
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    const read = await readJsonBody(req, bodyLimit)
    if (!read.ok) {
      const status = read.reason === "too_large" ? 413 : read.reason === "unsupported_media_type" ? 415 : 400
      const code = read.reason === "too_large" ? "PAYLOAD_TOO_LARGE" : read.reason === "unsupported_media_type" ? "UNSUPPORTED_MEDIA_TYPE" : "INVALID_JSON"
      return { ok: false, problem: { status, code, message: read.message } }
    }
    body = read.value
  }
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
    return bad("request body must be a JSON object")
  }
  const input: Record<string, unknown> = { ...(body as Record<string, unknown> | undefined), ...queryInput(route.inputSchema, url.searchParams) }
  for (const [name, value] of Object.entries(params)) {
    if (body !== undefined && name in (body as object) && (body as Record<string, unknown>)[name] !== value) {
      return bad(`body ${name} '${String((body as Record<string, unknown>)[name])}' does not match the path '${value}'`)
    }
    input[name] = value
  }
  try {
    const output = await callTRPCProcedure({
      router,
      path: route.procedurePath,
      getRawInput: async () => input,
      ctx,
      type: route.type,
      signal: ctx.signal,
      batchIndex: 0
    })
    return { ok: true, status: ctx.response.status ?? route.contract.successStatus ?? 200, body: output }
  } catch (e) {
    return { ok: false, problem: problemOfTrpcError(asTrpcError(e)) }
  }
}
