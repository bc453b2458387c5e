import { Effect, Option } from "effect"
import { answeredByFromTwilio, callStatusFromTwilio, type CallEvent } from "../src/domain/call-state.js"
import { connectStreamTwiml, mediaStreamUrlOf } from "../src/domain/stream-twiml.js"
import { AgentResolution, type ResolvedAgent } from "./AgentResolution.js"
import { AppConfig } from "./AppConfig.js"
import { CallLogs } from "./CallLogs.js"
import { CallProgress } from "./CallProgress.js"
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

export const eventOf = (form: URLSearchParams): CallEvent => {
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
    const agents = yield* AgentResolution
    const logs = yield* CallLogs
    const progress = yield* CallProgress
    const tokens = yield* StreamTokens
    const streamUrl = mediaStreamUrlOf(config.publicBaseUrl)

    // A broken agent setup must not drop a ringing call: fall back to the tenant's defaults.
    const agentFor = (tenantId: string, callSid: string, direction: CallDirection, ourNumber: string | undefined, versionId: string | undefined) =>
      agents
        .resolve({ tenantId, callSid, agentVersionId: versionId, phoneNumber: ourNumber, direction })
        .pipe(
          Effect.tapError((e) => Effect.logWarning(`agent resolution failed for call ${callSid}; using tenant defaults`, e)),
          Effect.option,
          Effect.map(Option.getOrUndefined)
        )

    /** The call's log: the one make-call wrote, else a new one (a duplicate webhook finds the first). */
    const recordFor = (tenantId: string, callSid: string, direction: CallDirection, form: URLSearchParams, agent: ResolvedAgent | undefined) =>
      logs
        .createQueued(tenantId, {
          call_sid: callSid,
          direction,
          from_number: param(form, "From") ?? null,
          to_number: param(form, "To") ?? null,
          agent_version_id: agent?.agent_version_id ?? null,
          model: agent?.config.realtime_model ?? null,
          voice: agent?.config.voice ?? null
        })
        .pipe(
          Effect.catchTag("Conflict", () => logs.findByCallSid(tenantId, callSid).pipe(Effect.flatMap((l) => (l ? Effect.succeed(l) : Effect.die("call log vanished"))))),
          Effect.orDie
        )

    const answer = (tenant: { readonly tenantId: string }, direction: CallDirection, hook: TwilioWebhook) =>
      Effect.gen(function* () {
        const { form } = hook
        const callSid = yield* requireCallSid(form)
        const query = queryOf(hook.pathAndQuery)
        const ourNumber = direction === "inbound" ? param(form, "To") : param(form, "From")
        const agent = yield* agentFor(tenant.tenantId, callSid, direction, ourNumber, query.get("agent_version_id") ?? undefined)
        const report = { tenantId: tenant.tenantId, callSid, callLogId: query.get("call_log_id") ?? undefined, source: `${direction === "inbound" ? "incoming" : "outbound"}_call` as const }
        // Our TwiML answer connects the caller: from here on the call is in progress.
        const connected = { ...report, event: { ...eventOf(form), status: "in_progress" as const }, twilioStatus: param(form, "CallStatus") }
        // Inbound calls are new to us; outbound ones normally have make-call's record already.
        if (direction === "inbound") yield* recordFor(tenant.tenantId, callSid, direction, form, agent)
        let log = yield* progress.report(connected)
        if (!log) {
          yield* recordFor(tenant.tenantId, callSid, direction, form, agent)
          log = yield* progress.report(connected)
        }
        const streamToken = yield* tokens.issue({ tenantId: tenant.tenantId, callSid })
        return connectStreamTwiml(streamUrl, {
          stream_token: streamToken,
          tenant_id: tenant.tenantId,
          call_sid: callSid,
          call_log_id: log?.id,
          direction,
          from: param(form, "From"),
          to: param(form, "To"),
          agent_id: agent?.agent_id,
          agent_key: agent?.agent_key,
          agent_version_id: agent?.agent_version_id,
          agent_name: query.get("agent_name") ?? agent?.agent_name,
          greeting: query.get("greeting") ?? agent?.greeting,
          org_id: query.get("org_id"),
          answered_by: param(form, "AnsweredBy"),
          translation_room_id: query.get("room_id"),
          language: query.get("language"),
          partner_language: query.get("partner_language")
        })
      })

    const request = (hook: TwilioWebhook, ourNumber: string | undefined, direction: WebhookRequest["direction"]): WebhookRequest => ({ ...hook, ourNumber, direction })

    /** `POST /api/v1/incoming-call`: tenant from the called number. */
    const incoming = (hook: TwilioWebhook) =>
      tenants.resolve(request(hook, param(hook.form, "To"), "inbound")).pipe(Effect.flatMap((t) => answer(t, "inbound", hook)), Effect.withSpan("CallWebhooks.incoming"))

    /** `POST /api/v1/outbound-call`: Twilio asks what to do once the callee answered. */
    const outbound = (hook: TwilioWebhook) =>
      tenants.resolve(request(hook, param(hook.form, "From"), "outbound")).pipe(Effect.flatMap((t) => answer(t, "outbound", hook)), Effect.withSpan("CallWebhooks.outbound"))

    /** The `-sip` twins: the tenant is the bearer's; there is no Twilio signature to check. */
    const sip = (tenant: { readonly tenantId: string }, direction: CallDirection, hook: TwilioWebhook) => answer(tenant, direction, hook).pipe(Effect.withSpan("CallWebhooks.sip"))

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
  dependencies: [WebhookTenants.Default, AgentResolution.Default, CallLogs.Default, CallProgress.Default, StreamTokens.Default]
}) {}
