import { TRPCError } from "@trpc/server"
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc"
import { type HttpProblem, internalProblem } from "./error-table.js"

/** Carries the contract's status and code through tRPC's error channel. */
export class ProblemCause extends Error {
  constructor(readonly problem: HttpProblem) {
    super(problem.message)
  }
}

const codes: ReadonlyArray<readonly [number, TRPC_ERROR_CODE_KEY]> = [
  [400, "BAD_REQUEST"],
  [401, "UNAUTHORIZED"],
  [403, "FORBIDDEN"],
  [404, "NOT_FOUND"],
  [405, "METHOD_NOT_SUPPORTED"],
  [409, "CONFLICT"],
  [412, "PRECONDITION_FAILED"],
  [413, "PAYLOAD_TOO_LARGE"],
  [415, "UNSUPPORTED_MEDIA_TYPE"],
  [429, "TOO_MANY_REQUESTS"],
  [499, "CLIENT_CLOSED_REQUEST"],
  [501, "NOT_IMPLEMENTED"],
  [502, "BAD_GATEWAY"],
  [503, "SERVICE_UNAVAILABLE"],
  [504, "GATEWAY_TIMEOUT"]
]

export const trpcCodeOf = (status: number): TRPC_ERROR_CODE_KEY =>
  codes.find(([s]) => s === status)?.[1] ?? "INTERNAL_SERVER_ERROR"

const statusOf = (code: TRPC_ERROR_CODE_KEY): number => codes.find(([, c]) => c === code)?.[0] ?? 500

interface Issue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const issuesOf = (cause: unknown): ReadonlyArray<Issue> | undefined => {
  if (typeof cause !== "object" || cause === null || !("issues" in cause)) return undefined
  const issues = (cause as { issues: unknown }).issues
  return Array.isArray(issues) ? (issues as ReadonlyArray<Issue>) : undefined
}

const describeIssues = (issues: ReadonlyArray<Issue>): string =>
  issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message))
    .join("; ")

/** The single place a tRPC error (ours, input validation, routing) becomes an HTTP problem. */
export const problemOfTrpcError = (error: TRPCError): HttpProblem => {
  if (error.cause instanceof ProblemCause) return error.cause.problem
  const issues = issuesOf(error.cause)
  if (error.code === "BAD_REQUEST" && issues) {
    return {
      status: 400,
      code: "VALIDATION_ERROR",
      message: `invalid request: ${describeIssues(issues)}`,
      details: issues.map((i) => ({ field: i.path.map(String).join("."), reason: i.message }))
    }
  }
  if (error.code === "PARSE_ERROR") return { status: 400, code: "INVALID_JSON", message: error.message }
  const status = statusOf(error.code)
  if (status >= 500) return internalProblem
  return { status, code: error.code, message: error.message }
}

export const asTrpcError = (e: unknown): TRPCError =>
  e instanceof TRPCError ? e : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: e })
