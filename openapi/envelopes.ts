import { STATUS_CODES } from "node:http"
import { z } from "zod"
import { AutomationResponse } from "../routers/schemas/automation.js"
import { MakeCallResponse, TranslationCallResponse } from "../routers/schemas/calls.js"
import { AdminErrorResponse, ErrorResponse } from "../routers/schemas/common.js"
import { FunctionTestResponse, SessionActionResponse } from "../routers/schemas/sessions.js"
import type { Envelope } from "../routers/trpc.js"

type ErrorBody = { readonly kind: "json"; readonly id: string; readonly schema: z.ZodType } | { readonly kind: "text" }

const named = (schema: z.ZodType): ErrorBody => {
  const id = z.globalRegistry.get(schema)?.id
  if (!id) throw new Error("an error envelope schema needs .meta({ id })")
  return { kind: "json", id, schema }
}

/**
 * The documented error body of each envelope kind (what `src/http/envelopes.ts` renders).
 * A new `Envelope` kind fails to compile here until it gets its row.
 */
export const ERROR_BODIES: Record<Envelope, ErrorBody> = {
  tenant: named(ErrorResponse),
  admin: named(AdminErrorResponse),
  plain: { kind: "text" },
  automation: named(AutomationResponse),
  make_call: named(MakeCallResponse),
  translation_call: named(TranslationCallResponse),
  session_action: named(SessionActionResponse),
  function_test: named(FunctionTestResponse)
}

/** Named envelope schemas, registered as components even when no procedure output references them. */
export const envelopeDefs = (): Record<string, z.ZodType> =>
  Object.fromEntries(Object.values(ERROR_BODIES).flatMap((b) => (b.kind === "json" ? [[b.id, b.schema]] : [])))

/**
 * Statuses a procedure answers itself with its own output body (it sets `ctx.response.status`),
 * so they are documented with the success schema instead of an error envelope: the probes'
 * 503 carries the same readiness/liveness body as their 200.
 */
export const OWN_BODY_STATUSES: Readonly<Record<string, ReadonlyArray<number>>> = {
  liveness: [503],
  readiness: [503]
}

const RETRY_AFTER = {
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } }
}

export const errorResponse = (envelope: Envelope, status: number): Record<string, unknown> => {
  const body = ERROR_BODIES[envelope]
  const content =
    body.kind === "json"
      ? { "application/json": { schema: { $ref: `#/components/schemas/${body.id}` } } }
      : { "text/plain": { schema: { type: "string" } } }
  return {
    description: STATUS_CODES[status] ?? `HTTP ${status}`,
    ...(status === 429 ? { headers: RETRY_AFTER } : {}),
    content
  }
}
