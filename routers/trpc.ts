import { initTRPC, TRPCError } from "@trpc/server"
import { Cause, Effect, Exit, Option } from "effect"
import superjson from "superjson"
import type { OpenApiMeta } from "trpc-to-openapi"
import type { ApiError } from "../effects/errors.js"
import type { AppServices } from "../effects/AppLayer.js"
import type { RequestContext } from "./context.js"
import { type HttpProblem, internalProblem, interruptedProblem, problemOfFailure } from "./error-table.js"
import { problemOfTrpcError, ProblemCause, trpcCodeOf } from "./problems.js"

/** How a failure is rendered on the wire for this operation (the contract names one per operation). */
export type Envelope = "tenant" | "admin" | "plain" | "automation" | "make_call" | "translation_call" | "session_action" | "function_test"
export type SecurityScheme = "bearer_auth" | "admin_key" | "admin_session" | "twilio_signature" | "stream_token"

export interface ContractMeta {
  /** Which generated document lists the operation besides openapi.json. */
  readonly document: "public" | "admin"
  readonly envelope: Envelope
  /** Security alternatives, in the contract's order; empty = no auth. */
  readonly security: ReadonlyArray<SecurityScheme>
  readonly successStatus?: 200 | 201 | 202
  /** Error statuses the contract documents for this operation. */
  readonly errors: ReadonlyArray<number>
  /** Component name of the success body, when the contract names one. */
  readonly responseSchema?: string
  /** `form`: application/x-www-form-urlencoded body (Twilio webhooks); default JSON. */
  readonly requestBody?: "json" | "form"
  /** `xml` / `text`: the procedure returns a string sent as text/xml or text/plain; default JSON. */
  readonly responseBody?: "json" | "xml" | "text"
}

export type Meta = OpenApiMeta<{ contract?: ContractMeta }>

const t = initTRPC
  .context<RequestContext>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter: ({ shape, error, ctx }) => {
      const problem = problemOfTrpcError(error)
      return {
        ...shape,
        message: problem.message,
        data: { ...shape.data, httpStatus: problem.status, code: problem.code, request_id: ctx?.requestId ?? null, stack: undefined }
      }
    }
  })

const MAX_INPUT_DEPTH = 64

/** Iterative, so the check cannot overflow on the input it guards against. */
const deeperThan = (value: unknown, max: number): boolean => {
  if (typeof value !== "object" || value === null) return false
  // Flat inputs (every form webhook, most JSON bodies) are answered without building the stack.
  if (!Object.values(value).some((v) => typeof v === "object" && v !== null)) return max <= 0
  const stack: Array<readonly [unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== "object" || v === null) continue
    if (depth >= max) return true
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

// Recursive code downstream (cloning, canonical JSON, the driver) overflows the stack on a few
// thousand levels of nesting, which a 1 MiB body easily holds: a 400 here, not a 500 there.
const inputDepthGuard = t.middleware(async ({ getRawInput, next }) => {
  if (deeperThan(await getRawInput(), MAX_INPUT_DEPTH)) {
    failWith({ status: 400, code: "VALIDATION_ERROR", message: `invalid request: input nests deeper than ${MAX_INPUT_DEPTH} levels` })
  }
  return next()
})

export const router = t.router
export const middleware = t.middleware
export const baseProcedure = t.procedure.use(inputDepthGuard)
export const createCallerFactory = t.createCallerFactory

const defectLogged = (ctx: RequestContext, cause: Cause.Cause<unknown>) =>
  ctx.runtime.runFork(
    Effect.logError("request failed with a defect", Cause.pretty(cause)).pipe(
      Effect.annotateLogs({ request_id: ctx.requestId })
    )
  )

export const failWith = (problem: HttpProblem): never => {
  throw new TRPCError({ code: trpcCodeOf(problem.status), message: problem.message, cause: new ProblemCause(problem) })
}

/** Runs one service effect for a procedure; every failure leaves as a TRPCError carrying its HTTP problem. */
export const run = async <A>(ctx: RequestContext, effect: Effect.Effect<A, ApiError, AppServices>): Promise<A> => {
  const exit = await ctx.runtime.runPromiseExit(effect, ctx.signal ? { signal: ctx.signal } : undefined)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) return failWith(problemOfFailure(failure.value))
  if (Cause.isInterruptedOnly(exit.cause)) return failWith(interruptedProblem)
  defectLogged(ctx, exit.cause)
  return failWith(internalProblem)
}
