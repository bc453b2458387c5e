import type { ApiError } from "../effects/errors.js"

/** What the edge needs to answer one failure: status, machine code, human message. */
export interface HttpProblem {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

type Table = { readonly [K in ApiError["_tag"]]: (e: Extract<ApiError, { _tag: K }>) => HttpProblem }

/** The one mapping from tagged error to HTTP. Missing a tag is a compile error. */
const table: Table = {
  NotFound: (e) => ({ status: 404, code: "NOT_FOUND", message: e.id ? `${e.resource} not found: ${e.id}` : `${e.resource} not found` }),
  ValidationFailed: (e) => ({ status: 400, code: "VALIDATION_ERROR", message: e.message, details: e.details }),
  Conflict: (e) => ({ status: 409, code: "CONFLICT", message: e.message }),
  PreconditionFailed: (e) => ({ status: 412, code: "PRECONDITION_FAILED", message: e.message }),
  Unauthorized: (e) => ({ status: 401, code: "UNAUTHORIZED", message: e.message }),
  Forbidden: (e) => ({ status: 403, code: "FORBIDDEN", message: e.message }),
  RateLimited: (e) => ({
    status: 429,
    code: "RATE_LIMITED",
    message: `rate limit exceeded (${e.scope}); retry after ${e.retryAfterSeconds}s`,
    headers: { "retry-after": String(e.retryAfterSeconds) }
  }),
  AdminDisabled: () => ({ status: 404, code: "ADMIN_DISABLED", message: "admin endpoints disabled" }),
  PayloadTooLarge: (e) => ({ status: 413, code: "PAYLOAD_TOO_LARGE", message: `request body exceeds ${e.limitBytes} bytes` }),
  ServiceUnavailable: (e) => ({ status: 503, code: "SERVICE_UNAVAILABLE", message: e.message }),
  UpstreamFailed: (e) => ({ status: 502, code: "UPSTREAM_ERROR", message: `${e.service}: ${e.message}`, details: { status: e.status, code: e.code } }),
  CallSetupFailed: (e) => ({ status: 500, code: "CALL_SETUP_FAILED", message: e.message, details: e.details }),
  TranslationCallFailed: (e) => ({
    status: e.kind === "invalid" ? 400 : e.kind === "not_configured" ? 503 : 502,
    code: e.kind === "invalid" ? "VALIDATION_ERROR" : e.kind === "not_configured" ? "SERVICE_UNAVAILABLE" : "UPSTREAM_ERROR",
    message: e.message,
    details: { room_id: e.roomId, participant_a_call_sid: e.participantACallSid, participant_b_call_sid: e.participantBCallSid }
  })
}

export const problemOf = (e: ApiError): HttpProblem => (table[e._tag] as (e: ApiError) => HttpProblem)(e)

export const internalProblem: HttpProblem = { status: 500, code: "INTERNAL_ERROR", message: "internal server error" }
export const interruptedProblem: HttpProblem = { status: 499, code: "CLIENT_CLOSED_REQUEST", message: "request cancelled" }
export const notFoundRouteProblem: HttpProblem = { status: 404, code: "NOT_FOUND", message: "route not found" }

const isApiError = (e: unknown): e is ApiError =>
  typeof e === "object" && e !== null && "_tag" in e && typeof e._tag === "string" && Object.hasOwn(table, e._tag)

/** A failure from the runtime: ours maps through the table; anything else (a layer that failed to build) is internal. */
export const problemOfFailure = (e: unknown): HttpProblem => (isApiError(e) ? problemOf(e) : internalProblem)
