import { Config, Data, Duration, Effect, Schedule } from "effect"
import twilio from "twilio"
import type { CallInstance, CallListInstanceCreateOptions } from "twilio/lib/rest/api/v2010/account/call.js"
import { credentialsOf, type TwilioCredentials } from "./TwilioCredentials.js"
import { makeHttpClient } from "./TwilioHttpClient.js"
import { TwilioSandbox } from "./TwilioSandbox.js"

export type TwilioFailureReason = "rejected" | "rate_limited" | "unavailable" | "timeout" | "network"

/** A failed Twilio request, with Twilio's HTTP status and error code when it answered. */
export class TwilioError extends Data.TaggedError("TwilioError")<{
  readonly operation: string
  readonly reason: TwilioFailureReason
  readonly message: string
  readonly status?: number | undefined
  readonly code?: number | undefined
}> {
  /** Twilio answered and refused: the request was not acted on, so repeating it is safe. */
  get notAccepted(): boolean {
    return this.reason === "rejected" || this.reason === "rate_limited"
  }
  get summary(): string {
    const parts = [this.status !== undefined ? `HTTP ${this.status}` : this.reason, this.code !== undefined ? `code ${this.code}` : undefined]
    return `Twilio ${this.operation} failed (${parts.filter(Boolean).join(", ")}): ${this.message}`
  }
}

export interface CallResource {
  readonly sid: string
  readonly status: string
  readonly to: string
  readonly from: string
}

export type { TwilioCredentials }

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined)

const classify = (operation: string, e: unknown): TwilioError => {
  const o = typeof e === "object" && e !== null ? (e as Record<string, unknown>) : {}
  const status = num(o.status)
  const message = str(o.message) ?? String(e)
  if (status !== undefined) {
    const reason: TwilioFailureReason = status === 429 ? "rate_limited" : status >= 500 ? "unavailable" : "rejected"
    return new TwilioError({ operation, reason, status, code: num(o.code), message })
  }
  const code = str(o.code)
  const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(message)
  return new TwilioError({ operation, reason: timedOut ? "timeout" : "network", message })
}

// Only errors where Twilio did nothing are retried for creation; reads and idempotent
// updates may also retry what might have half-happened (5xx, timeouts, resets).
const backoff = Schedule.exponential("200 millis", 2).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(2)))
const retryCreate = (e: TwilioError) => e.reason === "rate_limited"
const retryIdempotent = (e: TwilioError) => e.reason !== "rejected"

const toResource = (c: CallInstance): CallResource => ({ sid: c.sid, status: String(c.status), to: c.to, from: c.from })

/**
 * Twilio's REST API through the official SDK, one client per credential set over one shared
 * HTTP client (pointed at `TWILIO_API_BASE_URL` or the sandbox when set). Every request has a
 * timeout; call creation is retried only when Twilio said 429 (it created nothing).
 */
export class Twilio extends Effect.Service<Twilio>()("Twilio", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sandbox = yield* TwilioSandbox
    const timeoutMs = yield* Config.integer("TWILIO_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(10_000), Effect.orDie)
    const httpClient = makeHttpClient(sandbox.baseUrl, timeoutMs)
    const clients = new Map<string, twilio.Twilio>()

    const clientFor = (c: TwilioCredentials): twilio.Twilio => {
      const key = `${c.accountSid}\u0000${c.username}\u0000${c.password}`
      let client = clients.get(key)
      if (!client) {
        // Bounded: a tenant rotating credentials must not grow this forever.
        if (clients.size >= 1000) clients.delete(clients.keys().next().value!)
        client = twilio(c.username, c.password, { accountSid: c.accountSid, httpClient })
        clients.set(key, client)
      }
      return client
    }

    // Cached tenant configs are immutable objects, so their credentials are read once per config.
    const parsed = new WeakMap<object, TwilioCredentials | null>()

    /** The tenant's own credentials, else (sandbox mode) the sandbox account. */
    const credentialsFor = (tenantConfig: Readonly<Record<string, unknown>>): TwilioCredentials | undefined => {
      let own = parsed.get(tenantConfig)
      if (own === undefined) {
        own = credentialsOf(tenantConfig) ?? null
        parsed.set(tenantConfig, own)
      }
      return own ?? sandbox.credentials
    }

    const attempt = <A>(operation: string, f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: (e) => classify(operation, e) }).pipe(
        // The HTTP client has the same timeout; this one also covers a stuck DNS lookup or TLS handshake.
        Effect.timeoutFail({ duration: Duration.millis(timeoutMs + 1000), onTimeout: () => new TwilioError({ operation, reason: "timeout", message: `no answer within ${timeoutMs} ms` }) })
      )

    const createCall = (c: TwilioCredentials, params: CallListInstanceCreateOptions) =>
      attempt("calls.create", () => clientFor(c).calls.create(params)).pipe(
        Effect.retry({ schedule: backoff, while: retryCreate }),
        Effect.map(toResource),
        Effect.withSpan("Twilio.createCall")
      )

    const updateCall = (c: TwilioCredentials, sid: string, params: { status?: "completed" | "canceled"; twiml?: string; url?: string }) =>
      attempt("calls.update", () => clientFor(c).calls(sid).update(params)).pipe(
        Effect.retry({ schedule: backoff, while: retryIdempotent }),
        Effect.map(toResource),
        Effect.withSpan("Twilio.updateCall")
      )

    const fetchCall = (c: TwilioCredentials, sid: string) =>
      attempt("calls.fetch", () => clientFor(c).calls(sid).fetch()).pipe(
        Effect.retry({ schedule: backoff, while: retryIdempotent }),
        Effect.map(toResource),
        Effect.withSpan("Twilio.fetchCall")
      )

    /** Ends a call whatever its state; a call Twilio no longer knows (404 / 20404) is already gone. */
    const hangUp = (c: TwilioCredentials, sid: string) =>
      updateCall(c, sid, { status: "completed" }).pipe(
        Effect.asVoid,
        Effect.catchIf((e) => e.status === 404 || e.code === 20404, () => Effect.void)
      )

    return { credentialsFor, createCall, updateCall, fetchCall, hangUp, sandboxMode: sandbox.credentials !== undefined } as const
  }),
  dependencies: [TwilioSandbox.Default]
}) {}
