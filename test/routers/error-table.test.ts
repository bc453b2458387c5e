import { fc, it } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import {
  AdminDisabled,
  type ApiError,
  CallSetupFailed,
  Conflict,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  PreconditionFailed,
  RateLimited,
  ServiceUnavailable,
  Unauthorized,
  TranslationCallFailed,
  UpstreamFailed,
  ValidationFailed
} from "../../effects/errors.js"
import { internalProblem, problemOf, problemOfFailure } from "../../routers/error-table.js"
import { asTrpcError, problemOfTrpcError, trpcCodeOf } from "../../routers/problems.js"
import { failWith } from "../../routers/trpc.js"

const text = fc.string({ maxLength: 40 })
const maybe = <A>(a: fc.Arbitrary<A>) => fc.option(a, { nil: undefined })

// A missing tag here is a compile error, like a missing row in the table.
const arbitraries: { readonly [K in ApiError["_tag"]]: fc.Arbitrary<Extract<ApiError, { _tag: K }>> } = {
  NotFound: fc.record({ resource: text, id: maybe(text) }).map((f) => new NotFound(f)),
  ValidationFailed: fc.record({ message: text, details: fc.jsonValue() }).map((f) => new ValidationFailed(f)),
  Conflict: text.map((message) => new Conflict({ message })),
  PreconditionFailed: text.map((message) => new PreconditionFailed({ message })),
  Unauthorized: text.map((message) => new Unauthorized({ message })),
  Forbidden: text.map((message) => new Forbidden({ message })),
  RateLimited: fc
    .record({ scope: fc.constantFrom("ip" as const, "tenant" as const, "login" as const), retryAfterSeconds: fc.integer({ min: 1, max: 86_400 }) })
    .map((f) => new RateLimited(f)),
  AdminDisabled: fc.constant(new AdminDisabled()),
  PayloadTooLarge: fc.nat().map((limitBytes) => new PayloadTooLarge({ limitBytes })),
  ServiceUnavailable: text.map((message) => new ServiceUnavailable({ message })),
  UpstreamFailed: fc
    .record({ service: text, message: text, status: maybe(fc.integer({ min: 100, max: 599 })), code: maybe(fc.integer()) })
    .map((f) => new UpstreamFailed(f)),
  CallSetupFailed: fc.record({ message: text, details: maybe(fc.dictionary(text, fc.jsonValue())) }).map((f) => new CallSetupFailed(f)),
  TranslationCallFailed: fc
    .record({
      kind: fc.constantFrom("invalid" as const, "setup_failed" as const, "not_configured" as const),
      message: text,
      roomId: fc.uuid(),
      participantACallSid: fc.option(text, { nil: null }),
      participantBCallSid: fc.option(text, { nil: null })
    })
    .map((f) => new TranslationCallFailed(f))
}
const anyApiError: fc.Arbitrary<ApiError> = fc.oneof(...Object.values(arbitraries))

describe("the error table", () => {
  it.prop([anyApiError])("maps every tagged error to a 4xx/5xx status with a code", (e) => {
    const p = problemOf(e)
    expect(Number.isInteger(p.status) && p.status >= 400 && p.status <= 599).toBe(true)
    expect(p.code).toMatch(/^[A-Z][A-Z_]*$/)
    expect(typeof p.message).toBe("string")
    expect(problemOfFailure(e)).toEqual(p)
  })

  it.prop([anyApiError])("survives the trip through tRPC's error channel unchanged", (e) => {
    const p = problemOf(e)
    let thrown: unknown
    try {
      failWith(p)
    } catch (err) {
      thrown = err
    }
    const trpc = asTrpcError(thrown)
    expect(problemOfTrpcError(trpc)).toEqual(p)
    expect(trpc.code).toBe(trpcCodeOf(p.status))
  })

  it.prop([arbitraries.RateLimited])("rate limits carry Retry-After in whole seconds", (e) => {
    const p = problemOf(e)
    expect(p.status).toBe(429)
    expect(p.headers?.["retry-after"]).toBe(String(e.retryAfterSeconds))
  })

  it("the fixed rows answer the contract's statuses", () => {
    expect(problemOf(new AdminDisabled())).toMatchObject({ status: 404, message: "admin endpoints disabled" })
    expect(problemOf(new NotFound({ resource: "tenant", id: "x" })).status).toBe(404)
    expect(problemOf(new PreconditionFailed({ message: "m" })).status).toBe(412)
    expect(problemOf(new PayloadTooLarge({ limitBytes: 1 })).status).toBe(413)
  })

  it.prop([fc.anything().filter((v) => !(typeof v === "object" && v !== null && "_tag" in v))])("anything else is an internal error", (v) => {
    expect(problemOfFailure(v)).toEqual(internalProblem)
  })

  it.prop([fc.string({ minLength: 1, maxLength: 20 })])("an object whose _tag is not ours is an internal error", (tag) => {
    fc.pre(!Object.hasOwn(arbitraries, tag))
    expect(problemOfFailure({ _tag: tag, message: "x" })).toEqual(internalProblem)
  })
})
