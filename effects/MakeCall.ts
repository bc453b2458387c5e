import { Cause, Effect, Exit } from "effect"
import { randomUUID } from "node:crypto"
import { outboundGate } from "../src/domain/calling-policy.js"
import { callStatusFromTwilio } from "../src/domain/call-state.js"
import { normalizeE164 } from "../src/domain/e164.js"
import { AgentResolution } from "./AgentResolution.js"
import { CallLogs } from "./CallLogs.js"
import { CallProgress } from "./CallProgress.js"
import { CallSetupFailed, ServiceUnavailable, ValidationFailed } from "./errors.js"
import { Idempotency } from "./Idempotency.js"
import { OutboundDialer } from "./OutboundDialer.js"
import { PhoneRoutes } from "./PhoneRoutes.js"
import { Twilio, type TwilioCredentials, type TwilioError } from "./Twilio.js"

export interface MakeCallInput {
  readonly to: string
  readonly from?: string | null | undefined
  readonly agent_key?: string | null | undefined
  readonly agent_version_id?: string | null | undefined
  readonly agent_name?: string | null | undefined
  readonly greeting?: string | null | undefined
  readonly org_id?: string | null | undefined
}

export interface MakeCallResult {
  readonly ok: true
  readonly call_sid: string
  readonly status: string
  readonly to: string
  readonly from: string
}

type MakeCallError = ValidationFailed | ServiceUnavailable | CallSetupFailed
type Stored = { readonly ok: true; readonly value: MakeCallResult } | { readonly ok: false; readonly tag: MakeCallError["_tag"]; readonly message: string; readonly details?: unknown }

const invalid = (message: string, details?: Record<string, unknown>) => new ValidationFailed({ message, ...(details ? { details } : {}) })

const rebuild = (s: Stored): Effect.Effect<MakeCallResult, MakeCallError> => {
  if (s.ok) return Effect.succeed(s.value)
  const details = typeof s.details === "object" && s.details !== null ? (s.details as Record<string, unknown>) : undefined
  if (s.tag === "ValidationFailed") return Effect.fail(invalid(s.message, details))
  if (s.tag === "ServiceUnavailable") return Effect.fail(new ServiceUnavailable({ message: s.message }))
  return Effect.fail(new CallSetupFailed({ message: s.message, ...(details ? { details } : {}) }))
}

/**
 * `POST /api/v1/make-call`: validate, apply the tenant's gates, resolve the agent, write the
 * call record (queued) and only then ask Twilio — so a crash in between leaves a visible row.
 * With an Idempotency-Key the whole operation happens once per key and body within 24 h.
 */
export class MakeCall extends Effect.Service<MakeCall>()("MakeCall", {
  accessors: true,
  effect: Effect.gen(function* () {
    const twilio = yield* Twilio
    const routes = yield* PhoneRoutes
    const agents = yield* AgentResolution
    const logs = yield* CallLogs
    const progress = yield* CallProgress
    const dialer = yield* OutboundDialer
    const idempotency = yield* Idempotency

    /** The caller ID: the request's, else the tenant's outbound route (the agent's first), else its Twilio number. */
    const fromFor = (tenantId: string, input: MakeCallInput, creds: TwilioCredentials) =>
      Effect.gen(function* () {
        if (input.from) {
          const from = normalizeE164(input.from)
          return from ?? (yield* Effect.fail(invalid(`from must be an E.164 phone number such as +14155550100, got '${input.from}'`, { field: "from" })))
        }
        const outbound = (yield* routes.list(tenantId).pipe(Effect.orDie)).filter((r) => r.direction === "outbound")
        const route = outbound.find((r) => input.agent_key && r.agent_key === input.agent_key) ?? outbound[0]
        const fallback = route?.phone_number ?? creds.fromNumber ?? creds.phoneNumbers[0]
        return fallback ?? (yield* Effect.fail(invalid("from is required: the tenant has no outbound phone route and no Twilio from_number")))
      })

    const place = (tenantId: string, config: Record<string, unknown>, input: MakeCallInput, asked: { twilio: boolean }) =>
      Effect.gen(function* () {
        const to = normalizeE164(input.to)
        if (!to) return yield* Effect.fail(invalid(`to must be an E.164 phone number such as +14155550100, got '${input.to}'`, { field: "to" }))
        const creds = twilio.credentialsFor(config)
        if (!creds) return yield* Effect.fail(new ServiceUnavailable({ message: "Twilio not configured" }))
        const from = yield* fromFor(tenantId, input, creds)
        const gate = outboundGate(config, to, new Date())
        if (!gate.ok) return yield* Effect.fail(invalid(`call refused: ${gate.message}`, { reason: gate.reason, to, from }))
        const agent = yield* agents.resolve({
          tenantId,
          callSid: randomUUID(),
          agentVersionId: input.agent_version_id ?? undefined,
          agentKey: input.agent_key ?? undefined,
          phoneNumber: from,
          direction: "outbound"
        }).pipe(Effect.catchTag("NotFound", (e) => Effect.die(e)))

        const log = yield* logs
          .createQueued(tenantId, { call_sid: null, direction: "outbound", from_number: from, to_number: to, agent_version_id: agent.agent_version_id, model: agent.config.realtime_model, voice: agent.config.voice })
          .pipe(Effect.orDie)
        asked.twilio = true
        const call = yield* dialer
          .dial(creds, {
            tenantId,
            callLogId: log.id,
            to,
            from,
            context: { agent_version_id: agent.agent_version_id, agent_name: input.agent_name, greeting: input.greeting, org_id: input.org_id }
          })
          .pipe(Effect.tapError((e) => dialer.recordFailure(tenantId, log.id, e)), Effect.mapError((e) => failureOf(e, to, from)))
        const status = callStatusFromTwilio(call.status) ?? "queued"
        yield* progress.report({ tenantId, callSid: call.sid, callLogId: log.id, source: "make_call", twilioStatus: call.status, event: { status, at: Date.now() } })
        const result: MakeCallResult = { ok: true, call_sid: call.sid, status, to, from }
        return result
      })

    const makeCall = (tenant: { tenantId: string; config: Record<string, unknown> }, input: MakeCallInput, idempotencyKey: string | undefined) => {
      const asked = { twilio: false }
      const work = place(tenant.tenantId, tenant.config, input, asked)
      if (idempotencyKey === undefined) return work
      return idempotency.run(
        {
          tenantId: tenant.tenantId,
          scope: "make_call",
          key: idempotencyKey,
          request: input,
          // Keep what happened once Twilio was asked; before that nothing happened and a retry may go ahead.
          store: (exit): Stored | undefined => {
            if (!asked.twilio) return undefined
            if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
            const failure = Cause.failureOption(exit.cause)
            if (failure._tag === "Some") return { ok: false, tag: failure.value._tag, message: failure.value.message, details: "details" in failure.value ? failure.value.details : undefined }
            return { ok: false, tag: "CallSetupFailed", message: "the call request was interrupted after Twilio was asked; reconcile with call logs before retrying" }
          },
          replay: (stored) => rebuild(stored as Stored)
        },
        work
      )
    }

    return { makeCall } as const
  }),
  dependencies: [Twilio.Default, PhoneRoutes.Default, AgentResolution.Default, CallLogs.Default, CallProgress.Default, OutboundDialer.Default, Idempotency.Default]
}) {}

/** Twilio refused (bad number, unverified caller ID…): the request is the problem, 400. Otherwise the call's fate is unknown: 500. */
const failureOf = (e: TwilioError, to: string, from: string): ValidationFailed | CallSetupFailed => {
  const details = { to, from, status: e.notAccepted ? "failed" : null, twilio_status: e.status ?? null, twilio_code: e.code ?? null }
  return e.reason === "rejected" ? invalid(`Twilio rejected the call: ${e.message}${e.code ? ` (code ${e.code})` : ""}`, details) : new CallSetupFailed({ message: e.summary, details })
}
