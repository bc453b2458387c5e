import { type AnsweredBy, normalizeAnsweredBy } from "../src/domain/call-log-query.js"
import type { CallLogRow, CallLogSummaryRow } from "./CallLogsRepo.js"
import { iso, isoOrNull } from "./tenantScope.js"
import type { VoiceOutcomeRow } from "./VoiceOutcomesRepo.js"


/** Dates become ISO strings on the wire; everything else keeps the row's type. */
type Wire<T> = { readonly [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] }

/** A call log as the API shows it (contract `CallLog`, plus `agent_version_id`): the row minus list-only counters. */
export type CallLog = Omit<Wire<CallLogRow>, "answered_by" | "transcript_length" | "function_call_count" | "latency_turns"> & {
  readonly answered_by: AnsweredBy | null
}

export const callLogView = (r: CallLogRow): CallLog => ({
  id: r.id,
  tenant_id: r.tenant_id,
  call_sid: r.call_sid,
  stream_sid: r.stream_sid,
  direction: r.direction,
  status: r.status,
  outcome: r.outcome,
  answered_by: normalizeAnsweredBy(r.answered_by),
  from_number: r.from_number,
  to_number: r.to_number,
  agent_version_id: r.agent_version_id,
  model: r.model,
  voice: r.voice,
  system_prompt_key: r.system_prompt_key,
  started_at: iso(r.started_at),
  ended_at: isoOrNull(r.ended_at),
  duration_seconds: r.duration_seconds,
  escalated: r.escalated,
  escalation_reason: r.escalation_reason,
  error_message: r.error_message,
  recording_url: r.recording_url,
  summary: r.summary,
  transcript: r.transcript,
  function_calls: r.function_calls,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at)
})

export const callLogSummaryView = (r: CallLogSummaryRow) => ({
  id: r.id,
  stream_sid: r.stream_sid,
  direction: r.direction,
  status: r.status,
  outcome: r.outcome,
  from_number: r.from_number,
  to_number: r.to_number,
  started_at: iso(r.started_at),
  ended_at: isoOrNull(r.ended_at),
  duration_seconds: r.duration_seconds,
  escalated: r.escalated,
  function_call_count: r.function_call_count,
  transcript_length: r.transcript_length
})

export type CallLogSummary = ReturnType<typeof callLogSummaryView>

export const voiceOutcomeView = (r: VoiceOutcomeRow) => ({
  id: r.id,
  tenant_id: r.tenant_id,
  stream_sid: r.stream_sid,
  call_sid: r.call_sid,
  call_log_id: r.call_log_id,
  resolution: r.resolution,
  disposition: r.disposition,
  billing_status: r.billing_status,
  billable_sku: r.billable_sku,
  outcome_source: r.outcome_source,
  primary_intent: r.primary_intent,
  risk_level: r.risk_level,
  escalated: r.escalated,
  duration_seconds: r.duration_seconds,
  call_type: r.call_type,
  agent_name: r.agent_name,
  customer_phone: r.customer_phone,
  org_id: r.org_id,
  metadata: r.metadata,
  occurred_at: iso(r.occurred_at),
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at)
})

export type VoiceOutcome = ReturnType<typeof voiceOutcomeView>
