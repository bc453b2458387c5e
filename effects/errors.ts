import { Data } from "effect"

/**
 * Failures a caller can act on. Every one of these has exactly one HTTP mapping in
 * `src/http/error-table.ts`; adding a tag here without a row there does not compile.
 */
export class NotFound extends Data.TaggedError("NotFound")<{
  readonly resource: string
  readonly id?: string
}> {}

export class ValidationFailed extends Data.TaggedError("ValidationFailed")<{
  readonly message: string
  readonly details?: unknown
}> {}

export class Conflict extends Data.TaggedError("Conflict")<{
  readonly message: string
}> {}

export class PreconditionFailed extends Data.TaggedError("PreconditionFailed")<{
  readonly message: string
}> {}

export class Unauthorized extends Data.TaggedError("Unauthorized")<{
  readonly message: string
}> {}

export class Forbidden extends Data.TaggedError("Forbidden")<{
  readonly message: string
}> {}

export class RateLimited extends Data.TaggedError("RateLimited")<{
  readonly scope: "ip" | "tenant" | "login"
  readonly retryAfterSeconds: number
}> {}

export class AdminDisabled extends Data.TaggedError("AdminDisabled")<{}> {}

export class PayloadTooLarge extends Data.TaggedError("PayloadTooLarge")<{
  readonly limitBytes: number
}> {}

export class ServiceUnavailable extends Data.TaggedError("ServiceUnavailable")<{
  readonly message: string
}> {}

export class UpstreamFailed extends Data.TaggedError("UpstreamFailed")<{
  readonly service: string
  readonly message: string
  readonly status?: number
  readonly code?: number
}> {}

/** make-call asked Twilio and did not get a call back: the call may or may not exist (500). */
export class CallSetupFailed extends Data.TaggedError("CallSetupFailed")<{
  readonly message: string
  /** What the MakeCallResponse envelope shows (to, from, call_sid, status) and Twilio's status/code. */
  readonly details?: Readonly<Record<string, unknown>>
}> {}

/** A translation call could not be set up; `kind` picks 400 / 502 / 503, the legs say how far it got. */
export class TranslationCallFailed extends Data.TaggedError("TranslationCallFailed")<{
  readonly kind: "invalid" | "setup_failed" | "not_configured"
  readonly message: string
  readonly roomId: string
  readonly participantACallSid: string | null
  readonly participantBCallSid: string | null
}> {}

export type ApiError =
  | NotFound
  | ValidationFailed
  | Conflict
  | PreconditionFailed
  | Unauthorized
  | Forbidden
  | RateLimited
  | AdminDisabled
  | PayloadTooLarge
  | ServiceUnavailable
  | UpstreamFailed
  | CallSetupFailed
  | TranslationCallFailed
