import { z } from "zod"
import { ANSWERED_BY, CALL_DIRECTIONS, CALL_OUTCOMES, CALL_STATUSES } from "../../src/domain/call-log-query.js"

export const CallStatus = z
  .enum(CALL_STATUSES)
  .meta({ id: "CallStatus", description: "Status of the call. `queued`: written by make-call before Twilio accepted the call (an addition to the contract's list)." })
export const CallDirection = z.enum(CALL_DIRECTIONS).meta({ id: "CallDirection", description: "Direction of the call" })
export const CallOutcome = z
  .enum(CALL_OUTCOMES)
  .meta({ id: "CallOutcome", description: "Normalized terminal outcome of a call, derived from CallStatus and AnsweredBy." })
export const AnsweredBy = z.enum(ANSWERED_BY).meta({ id: "AnsweredBy", description: "Twilio's answering-machine detection result (`AnsweredBy`)." })

export const TranscriptEntry = z
  .object({
    role: z.string().describe('Role of the speaker: "user", "assistant", or "system"'),
    content: z.string().describe("Content of the message"),
    timestamp: z.string().describe("When this message was spoken (ISO 8601)")
  })
  .meta({ id: "TranscriptEntry", description: "A single turn in the voice conversation transcript" })

export const FunctionCallEntry = z
  .object({
    name: z.string().describe("Name of the function called"),
    arguments: z.unknown().describe("Arguments passed to the function"),
    result: z.unknown().optional().describe("Result returned by the function"),
    duration_ms: z.number().int().nullable().optional().describe("How long the function took to execute in milliseconds"),
    timestamp: z.string().describe("When the function was called (ISO 8601)")
  })
  .meta({ id: "FunctionCallEntry", description: "Record of an AI tool/function call made during a voice session" })

export const CallLog = z
  .object({
    id: z.string().describe("Unique identifier for this call log"),
    tenant_id: z.string().describe("Tenant that owns this call"),
    call_sid: z.string().nullable().optional().describe("Twilio call SID"),
    stream_sid: z.string().nullable().describe("Twilio stream SID; null until the media stream started"),
    direction: CallDirection,
    status: CallStatus,
    outcome: CallOutcome.nullable().optional(),
    answered_by: AnsweredBy.nullable().optional(),
    from_number: z.string().nullable().optional().describe("Caller's phone number (E.164 format)"),
    to_number: z.string().nullable().optional().describe("Called phone number (E.164 format)"),
    agent_version_id: z.string().nullable().optional().describe("Agent version that ran the call, when known"),
    model: z.string().nullable().optional().describe("AI model used"),
    voice: z.string().nullable().optional().describe("Voice used for TTS"),
    system_prompt_key: z.string().nullable().optional().describe("System prompt key used"),
    started_at: z.string().describe("When the call started (ISO 8601)"),
    ended_at: z.string().nullable().describe("When the call ended (ISO 8601); null while the call is not over"),
    duration_seconds: z.number().int().nullable().optional().describe("Duration of the call in seconds"),
    escalated: z.boolean().describe("Whether the call was escalated to a human"),
    escalation_reason: z.string().nullable().optional().describe("Reason for escalation"),
    error_message: z.string().nullable().optional().describe("Error message if call failed"),
    recording_url: z.string().nullable().optional().describe("URL to the call recording (from Twilio)"),
    summary: z.string().nullable().optional().describe("LLM-generated summary of the call"),
    transcript: z.array(TranscriptEntry).describe("Full conversation transcript"),
    function_calls: z.array(FunctionCallEntry).describe("Functions called during the conversation"),
    created_at: z.string().describe("When this record was created (ISO 8601)"),
    updated_at: z.string().describe("When this record was last updated (ISO 8601)")
  })
  .meta({ id: "CallLog", description: "Full call log record including transcript, function calls, and metadata" })

export const CallLogDetailResponse = z
  .object({ ok: z.boolean().describe("Whether the request succeeded"), call: CallLog })
  .meta({ id: "CallLogDetailResponse", description: "Full call log detail response including transcript and function calls" })

export const CallLogSummary = z
  .object({
    id: z.string().describe("Unique call log identifier"),
    stream_sid: z.string().nullable().describe("Twilio stream SID; null until the media stream started"),
    direction: z.string().describe('Call direction: "inbound" or "outbound"'),
    status: z.string().describe("Call status: queued, in_progress, completed, failed, escalated, busy, no_answer, canceled"),
    outcome: z.string().nullable().optional().describe("Normalized terminal outcome: answered, voicemail, no_answer, busy, failed"),
    from_number: z.string().nullable().optional().describe("Caller phone number"),
    to_number: z.string().nullable().optional().describe("Called phone number"),
    started_at: z.string().describe("When the call started (ISO 8601)"),
    ended_at: z.string().nullable().optional().describe("When the call ended (ISO 8601)"),
    duration_seconds: z.number().int().nullable().optional().describe("Call duration in seconds"),
    escalated: z.boolean().describe("Whether the call was escalated to a human"),
    function_call_count: z.number().int().min(0).describe("Number of AI function calls made during the conversation"),
    transcript_length: z.number().int().min(0).describe("Number of transcript turns")
  })
  .meta({ id: "CallLogSummary", description: "Compact call log summary suitable for list views (excludes full transcript and function call details)" })

export const CallLogsListResponse = z
  .object({
    ok: z.boolean().describe("Whether the request succeeded"),
    tenant: z.string().describe("Authenticated tenant identifier"),
    calls: z.array(CallLogSummary).describe("Compact call summaries"),
    count: z.number().int().min(0).describe("Number of calls returned in this page"),
    next_cursor: z
      .string()
      .nullable()
      .describe("Opaque cursor to pass back as `?cursor=...` for the next page (order: created_at desc, id desc); null on the last page.")
  })
  .meta({ id: "CallLogsListResponse", description: "Tenant-scoped call log list response with compact call summaries" })

export const ListCallLogsInput = z.object({
  status: z.string().optional().describe("Filter by call status: queued, in_progress, completed, failed, escalated, busy, no_answer, canceled"),
  outcome: z.string().optional().describe("Filter by normalized terminal outcome: answered, voicemail, no_answer, busy, failed"),
  from_number: z.string().optional().describe("Filter by caller phone number (exact, E.164)"),
  to_number: z.string().optional().describe("Filter by called phone number (exact, E.164)"),
  direction: z.string().optional().describe("Filter by call direction (inbound/outbound)"),
  escalated: z.boolean().optional().describe("Filter by escalation status"),
  from_date: z.string().optional().describe("Only calls started at or after this ISO 8601 instant (with offset) or date (UTC midnight)"),
  to_date: z.string().optional().describe("Only calls started before this ISO 8601 instant (with offset) or date (UTC midnight)"),
  min_duration: z.number().int().optional().describe("Minimum call duration in seconds"),
  max_duration: z.number().int().optional().describe("Maximum call duration in seconds"),
  transcript_search: z
    .string()
    .optional()
    .describe("Search transcript text, case-insensitive: whole words, several words match as a phrase (full-text, no stemming)"),
  call_sid: z.string().optional().describe("Filter by Twilio call SID"),
  limit: z.number().int().optional().describe("Maximum number of results (default 50, max 100)"),
  offset: z.number().int().optional().describe("Legacy offset-based pagination. Prefer `cursor` (keyset pagination) for any list longer than a few hundred rows."),
  cursor: z.string().optional().describe("Opaque keyset cursor returned by a previous response's `next_cursor`; takes precedence over `offset`.")
})

export const CallStats = z
  .object({
    total_calls: z.number().int().min(0).describe("Total number of calls"),
    completed_calls: z.number().int().min(0).describe("Number of completed calls"),
    escalated_calls: z.number().int().min(0).describe("Number of escalated calls"),
    failed_calls: z.number().int().min(0).describe("Number of failed calls"),
    answered_calls: z.number().int().min(0).describe("Number of calls answered by a human."),
    voicemail_calls: z.number().int().min(0).describe("Number of calls that reached voicemail."),
    no_answer_calls: z.number().int().min(0).describe("Number of calls that rang without answer."),
    busy_calls: z.number().int().min(0).describe("Number of calls that reached a busy line."),
    failed_outcome_calls: z.number().int().min(0).describe("Number of calls with failed normalized outcome."),
    calls_last_24h: z.number().int().min(0).describe("Number of calls started in the last 24 hours"),
    answer_rate: z.number().nullable().optional().describe("answered / calls with a normalized terminal outcome; null when there are none."),
    completion_rate: z.number().nullable().optional().describe("completed / total; null when there are no calls."),
    escalation_rate: z.number().nullable().optional().describe("escalated / total; null when there are no calls."),
    avg_duration_seconds: z.number().nullable().optional().describe("Average call duration in seconds over calls with a duration")
  })
  .meta({ id: "CallStats", description: "Aggregate call statistics for a tenant including totals, rates, and averages" })

export const CallStatsResponse = z
  .object({ ok: z.boolean(), tenant: z.string().describe("Authenticated tenant identifier"), stats: CallStats })
  .meta({ id: "CallStatsResponse", description: "Tenant-scoped aggregate call statistics response" })
