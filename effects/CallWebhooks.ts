import { Effect } from "effect"
import { answeredByFromTwilio, callStatusFromTwilio, type CallEvent } from "../src/domain/call-state.js"
import { connectStreamTwiml, mediaStreamUrlOf } from "../src/domain/stream-twiml.js"
import { AppConfig } from "./AppConfig.js"
import { CallLogs } from "./CallLogs.js"
import { CallProgress } from "./CallProgress.js"
import { InboundCallRecords } from "./InboundCallRecords.js"
import { ValidationFailed } from "./errors.js"
import { StreamTokens } from "./StreamTokens.js"
import { type WebhookRequest, WebhookTenants } from "./WebhookTenants.js"

/** A Twilio form webhook as the router hands it over. */
export interface TwilioWebhook {
  readonly pathAndQuery: string
  readonly signature: string | undefined
  readonly form: URLSearchParams
}

export type CallDirection = "inbound" | "outbound"

const param = (form: URLSearchParams, name: string): string | undefined => form.get(name)?.trim() || undefined

const requireCallSid = (form: URLSearchParams) => {
  const sid = param(form, "CallSid")
  return sid ? Effect.succeed(sid) : Effect.fail(new ValidationFailed({ message: "CallSid is required" }))
}

/** The moment Twilio says the event happened, else now. */
const eventTime = (form: URLSearchParams): number => {
  const t = Date.parse(form.get("Timestamp") ?? "")
  return Number.isFinite(t) ? t : Date.now()
}

const eventOf = (form: URLSearchParams): CallEvent => {
  const duration = Number(form.get("CallDuration") ?? NaN)
  return {
    status: callStatusFromTwilio(form.get("CallStatus") ?? undefined),
    answeredBy: answeredByFromTwilio(form.get("AnsweredBy") ?? undefined),
    durationSeconds: Number.isFinite(duration) ? duration : undefined,
    at: eventTime(form)
  }
}

const queryOf = (pathAndQuery: string) => new URL(pathAndQuery, "http://x").searchParams

/**
 * Twilio's voice webhooks: find and authenticate the tenant, create or advance the call record,
 * and answer TwiML that connects the call to `/media-stream` with a fresh stream token and the
 * call context as `<Parameter>`s. Status callbacks drive the record through the state machine.
 */
export class CallWebhooks extends Effect.Service<CallWebhooks>()("CallWebhooks", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const tenants = yield* WebhookTenants
    const inbound = yield* InboundCallRecords
    const logs = yield* CallLogs
    const progress = yield* CallProgress
    const tokens = yield* StreamTokens
    const streamUrl = mediaStreamUrlOf(config.publicBaseUrl)

    /** An outbound call Twilio asks about that make-call did not write (placed elsewhere): record it now. */
    const recordOutbound = (tenantId: string, callSid: string, form: URLSearchParams) =>
      logs.createQueued(tenantId, { call_sid: callSid, direction: "outbound", from_number: param(form, "From") ?? null, to_number: param(form, "To") ?? null }).pipe(
        Effect.catchTag("Conflict", () => Effect.void),
        Effect.orDie
      )

    /**
     * The TwiML answer. The agent is not resolved here: the call runtime resolves it when the
     * stream starts (deterministically by call SID), from the parameters passed along.
     */
    const answer = (tenantId: string, direction: CallDirection, hook: TwilioWebhook) =>
      Effect.gen(function* () {
        const { form } = hook
        const callSid = yield* requireCallSid(form)
        const query = queryOf(hook.pathAndQuery)
        let callLogId: string | undefined
        if (direction === "inbound") {
          // Our TwiML answer connects the caller: the call is in progress from here on.
          yield* inbound.add({ tenantId, callSid, from: param(form, "From") ?? null, to: param(form, "To") ?? null, startedAt: new Date() })
        } else {
          const connected = { tenantId, callSid, callLogId: query.get("call_log_id") ?? undefined, source: "outbound_call" as const, twilioStatus: param(form, "CallStatus"), event: { ...eventOf(form), status: "in_progress" as const } }
          let log = yield* progress.report(connected)
          if (!log) {
            yield* recordOutbound(tenantId, callSid, form)
            log = yield* progress.report(connected)
          }
          callLogId = log?.id
        }
        const streamToken = yield* tokens.issue({ tenantId, callSid })
        return connectStreamTwiml(streamUrl, {
          stream_token: streamToken,
          tenant_id: tenantId,
          call_sid: callSid,
          call_log_id: callLogId,
          direction,
          from: param(form, "From"),
          to: param(form, "To"),
          agent_key: query.get("agent_key"),
          agent_version_id: query.get("agent_version_id"),
          agent_name: query.get("agent_name"),
          greeting: query.get("greeting"),
          org_id: query.get("org_id"),
          answered_by: param(form, "AnsweredBy"),
          translation_room_id: query.get("room_id"),
          translation_leg: query.get("leg"),
          language: query.get("language"),
          partner_language: query.get("partner_language")
        })
      })

    const request = (hook: TwilioWebhook, ourNumber: string | undefined, direction: WebhookRequest["direction"]): WebhookRequest => ({ ...hook, ourNumber, direction })

    /** `POST /api/v1/incoming-call`: tenant from the called number. No span: see WebhookTenants.resolve. */
    const incoming = (hook: TwilioWebhook) =>
      tenants.resolve(request(hook, param(hook.form, "To"), "inbound")).pipe(Effect.flatMap((t) => answer(t.tenantId, "inbound", hook)))

    /** `POST /api/v1/outbound-call`: Twilio asks what to do once the callee answered. */
    const outbound = (hook: TwilioWebhook) =>
      tenants.resolve(request(hook, param(hook.form, "From"), "outbound")).pipe(Effect.flatMap((t) => answer(t.tenantId, "outbound", hook)), Effect.withSpan("CallWebhooks.outbound"))

    /** The `-sip` twins: the tenant is the bearer's; there is no Twilio signature to check. */
    const sip = (tenant: { readonly tenantId: string }, direction: CallDirection, hook: TwilioWebhook) => answer(tenant.tenantId, direction, hook).pipe(Effect.withSpan("CallWebhooks.sip"))

    /** `POST /api/v1/call-status`: status callbacks and asynchronous AMD verdicts. */
    const status = (hook: TwilioWebhook) =>
      Effect.gen(function* () {
        const { form } = hook
        const inbound = (param(form, "Direction") ?? "").startsWith("inbound")
        const tenant = yield* tenants.resolve(request(hook, param(form, inbound ? "To" : "From"), inbound ? "inbound" : "outbound"))
        const callSid = yield* requireCallSid(form)
        const sequence = Number(form.get("SequenceNumber") ?? NaN)
        yield* progress.report({
          tenantId: tenant.tenantId,
          callSid,
          callLogId: queryOf(hook.pathAndQuery).get("call_log_id") ?? undefined,
          source: form.has("CallStatus") ? "status_callback" : "amd",
          twilioStatus: param(form, "CallStatus"),
          event: eventOf(form),
          sequenceNumber: Number.isInteger(sequence) ? sequence : undefined,
          payload: Object.fromEntries(form),
          errorMessage: param(form, "ErrorMessage") ?? (param(form, "ErrorCode") ? `Twilio error ${param(form, "ErrorCode")}` : undefined)
        })
        return { ok: true }
      }).pipe(Effect.withSpan("CallWebhooks.status"))

    return { incoming, outbound, sip, status } as const
  }),
  dependencies: [WebhookTenants.Default, InboundCallRecords.Default, CallLogs.Default, CallProgress.Default, StreamTokens.Default]
}) {}
