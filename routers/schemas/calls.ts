import { z } from "zod"

const nullableString = (description: string) => z.string().nullable().optional().describe(description)
const count = () => z.number().int().min(0)

export const MakeCallRequest = z
  .object({
    to: z.string().describe("Destination phone number (E.164 format recommended)"),
    from: nullableString("Source phone number (defaults to tenant's Twilio number)"),
    agent_key: nullableString("Optional stable agent key to resolve the currently published version"),
    agent_name: nullableString("Optional agent name override"),
    agent_version_id: nullableString("Optional explicit agent version id"),
    greeting: nullableString("Optional custom greeting message for the AI agent"),
    org_id: nullableString("Optional organization ID for multi-org support")
  })
  .meta({ id: "MakeCallRequest", description: "Request body for placing an outbound AI voice call" })

export const MakeCallResponse = z
  .object({
    ok: z.boolean().describe("Whether the call was initiated successfully"),
    call_sid: nullableString("Twilio call SID for tracking"),
    status: nullableString("Current call status"),
    to: nullableString("Destination phone number"),
    from: nullableString("Source phone number"),
    error: nullableString("Error message (if failed)")
  })
  .meta({ id: "MakeCallResponse", description: "Acknowledgement returned after queueing an outbound AI voice call" })

export const CallStatusAckResponse = z.object({ ok: z.boolean() }).meta({ id: "CallStatusAckResponse", description: "CallStatusAckResponse schema used by the StateSet Voice API." })

export const TranslationCallRequest = z
  .object({
    participant_a: z.string().describe("First participant (E.164)"),
    participant_b: z.string().describe("Second participant (E.164)"),
    from: nullableString("Caller ID for both legs (defaults to the tenant's Twilio number)"),
    language_a: z.string().optional().describe("Language spoken by participant A (default en)"),
    language_b: z.string().optional().describe("Language spoken by participant B (default es)")
  })
  .meta({ id: "TranslationCallRequest", description: "TranslationCallRequest schema used by the StateSet Voice API." })

export const TranslationCallResponse = z
  .object({
    ok: z.boolean(),
    room_id: z.string().describe("Room joining the two legs"),
    participant_a_call_sid: nullableString("Call SID of participant A's leg, when it was placed"),
    participant_b_call_sid: nullableString("Call SID of participant B's leg, when it was placed"),
    error: nullableString("What failed, naming the leg")
  })
  .meta({ id: "TranslationCallResponse", description: "TranslationCallResponse schema used by the StateSet Voice API." })

const twilioParam = (description: string) => z.string().optional().describe(description)

/**
 * Twilio's voice webhook parameters (application/x-www-form-urlencoded, CONTRACT-NOTES decision 8).
 * Every parameter is accepted; the signature covers them all.
 */
export const TwilioVoiceWebhook = z
  .looseObject({
    CallSid: twilioParam("Twilio call SID"),
    AccountSid: twilioParam("Twilio account SID"),
    From: twilioParam("Caller (E.164, client: or sip: identity)"),
    To: twilioParam("Called number"),
    CallStatus: twilioParam("queued, ringing, in-progress, completed, busy, failed, no-answer, canceled"),
    Direction: twilioParam("inbound, outbound-api or outbound-dial"),
    AnsweredBy: twilioParam("Answering-machine detection verdict: human, machine_start, machine_end_beep, machine_end_silence, machine_end_other, fax, unknown"),
    CallDuration: twilioParam("Call length in seconds (on completion)"),
    Timestamp: twilioParam("When the event happened (RFC 2822)"),
    SequenceNumber: twilioParam("Order of this callback among the call's callbacks"),
    CallbackSource: twilioParam("call-progress-events for status callbacks")
  })
  .describe("Form parameters Twilio posts to voice webhooks and status callbacks.")

export const AdminTwilioWebhookHintCacheDiagnostics = z
  .object({ entries: count(), max_entries: count(), ttl_secs: count() })
  .meta({ id: "AdminTwilioWebhookHintCacheDiagnostics", description: "AdminTwilioWebhookHintCacheDiagnostics schema used by the StateSet Voice API." })

export const AdminTwilioWebhookResolutionDiagnostics = z
  .object({
    requests_total: count(),
    successes_total: count(),
    failures_total: count(),
    success_rate: z.number(),
    explicit_token_success: count(),
    explicit_token_invalid: count(),
    hint_cache_lookups: count(),
    hint_cache_hits: count(),
    hint_cache_misses: count(),
    hint_cache_expired: count(),
    hint_cache_signature_mismatch: count(),
    hint_cache_stale_token: count(),
    hint_cache_hit_rate: z.number(),
    signature_lookup_success: count(),
    signature_lookup_tenant_load_error: count(),
    signature_lookup_not_found: count(),
    signature_lookup_candidates_evaluated_total: count()
  })
  .meta({ id: "AdminTwilioWebhookResolutionDiagnostics", description: "AdminTwilioWebhookResolutionDiagnostics schema used by the StateSet Voice API." })

export const AdminTwilioWebhookDiagnosticsResponse = z
  .object({ ok: z.boolean(), hint_cache: AdminTwilioWebhookHintCacheDiagnostics, resolution: AdminTwilioWebhookResolutionDiagnostics })
  .meta({ id: "AdminTwilioWebhookDiagnosticsResponse", description: "AdminTwilioWebhookDiagnosticsResponse schema used by the StateSet Voice API." })

export const AdminTwilioWebhookCacheClearResponse = z
  .object({ ok: z.boolean(), removed_entries: count(), hint_cache: AdminTwilioWebhookHintCacheDiagnostics })
  .meta({ id: "AdminTwilioWebhookCacheClearResponse", description: "AdminTwilioWebhookCacheClearResponse schema used by the StateSet Voice API." })

export const AdminTwilioWebhookResetCountersResponse = z
  .object({
    ok: z.boolean(),
    cleared_hint_cache: z.boolean(),
    removed_hint_cache_entries: count(),
    hint_cache: AdminTwilioWebhookHintCacheDiagnostics,
    resolution: AdminTwilioWebhookResolutionDiagnostics
  })
  .meta({ id: "AdminTwilioWebhookResetCountersResponse", description: "AdminTwilioWebhookResetCountersResponse schema used by the StateSet Voice API." })
