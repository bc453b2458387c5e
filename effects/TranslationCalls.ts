import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { outboundGate } from "../src/domain/calling-policy.js"
import { callStatusFromTwilio } from "../src/domain/call-state.js"
import { normalizeE164 } from "../src/domain/e164.js"
import { CallLogs } from "./CallLogs.js"
import { CallProgress } from "./CallProgress.js"
import { TranslationCallFailed } from "./errors.js"
import { OutboundDialer } from "./OutboundDialer.js"
import { Twilio } from "./Twilio.js"

export interface TranslationCallInput {
  readonly participant_a: string
  readonly participant_b: string
  readonly from?: string | null | undefined
  readonly language_a?: string | undefined
  readonly language_b?: string | undefined
}

/**
 * `POST /api/v1/voice/translation-calls`: two outbound legs joined by one room id. Each leg's
 * TwiML answer carries the room, its language and the partner's, so the runtime can pair the
 * two media streams. Leg A is dialled first; if leg B cannot be placed, leg A is hung up and
 * the answer says which leg failed and what was placed.
 */
export class TranslationCalls extends Effect.Service<TranslationCalls>()("TranslationCalls", {
  accessors: true,
  effect: Effect.gen(function* () {
    const twilio = yield* Twilio
    const dialer = yield* OutboundDialer
    const logs = yield* CallLogs
    const progress = yield* CallProgress

    const start = (tenant: { tenantId: string; config: Record<string, unknown> }, input: TranslationCallInput) =>
      Effect.gen(function* () {
        const roomId = randomUUID()
        const legs: { a: string | null; b: string | null } = { a: null, b: null }
        const failed = (kind: TranslationCallFailed["kind"], message: string) =>
          new TranslationCallFailed({ kind, message, roomId, participantACallSid: legs.a, participantBCallSid: legs.b })

        const a = normalizeE164(input.participant_a)
        const b = normalizeE164(input.participant_b)
        if (!a) return yield* Effect.fail(failed("invalid", `participant_a must be an E.164 phone number such as +14155550100, got '${input.participant_a}'`))
        if (!b) return yield* Effect.fail(failed("invalid", `participant_b must be an E.164 phone number such as +14155550100, got '${input.participant_b}'`))
        if (a === b) return yield* Effect.fail(failed("invalid", "participant_a and participant_b must be different numbers"))
        const creds = twilio.credentialsFor(tenant.config)
        if (!creds) return yield* Effect.fail(failed("not_configured", "Twilio not configured"))
        const from = input.from ? normalizeE164(input.from) : (creds.fromNumber ?? creds.phoneNumbers[0] ?? null)
        if (!from) return yield* Effect.fail(failed("invalid", input.from ? `from must be an E.164 phone number, got '${input.from}'` : "from is required: the tenant has no Twilio from_number"))
        for (const [leg, number] of [["participant_a", a], ["participant_b", b]] as const) {
          const gate = outboundGate(tenant.config, number, new Date())
          if (!gate.ok) return yield* Effect.fail(failed("invalid", `${leg}: call refused: ${gate.message}`))
        }
        const languageA = input.language_a ?? "en"
        const languageB = input.language_b ?? "es"

        const dialLeg = (leg: "a" | "b", to: string, language: string, partner: string) =>
          Effect.gen(function* () {
            const log = yield* logs.createQueued(tenant.tenantId, { call_sid: null, direction: "outbound", from_number: from, to_number: to }).pipe(Effect.orDie)
            const call = yield* dialer
              .dial(creds, { tenantId: tenant.tenantId, callLogId: log.id, to, from, context: { room_id: roomId, leg, language, partner_language: partner } })
              .pipe(
                Effect.tapError((e) => dialer.recordFailure(tenant.tenantId, log.id, e)),
                Effect.mapError((e) => failed("setup_failed", `participant_${leg}: ${e.summary}`))
              )
            yield* progress.report({ tenantId: tenant.tenantId, callSid: call.sid, callLogId: log.id, source: "make_call", twilioStatus: call.status, event: { status: callStatusFromTwilio(call.status) ?? "queued", at: Date.now() } })
            legs[leg] = call.sid
          })

        yield* dialLeg("a", a, languageA, languageB)
        yield* dialLeg("b", b, languageB, languageA).pipe(
          Effect.tapError(() => (legs.a ? twilio.hangUp(creds, legs.a).pipe(Effect.ignore) : Effect.void))
        )
        return { ok: true, room_id: roomId, participant_a_call_sid: legs.a, participant_b_call_sid: legs.b, error: null }
      }).pipe(Effect.withSpan("TranslationCalls.start"))

    return { start } as const
  }),
  dependencies: [Twilio.Default, OutboundDialer.Default, CallLogs.Default, CallProgress.Default]
}) {}
