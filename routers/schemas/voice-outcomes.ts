import { z } from "zod"

const str = () => z.string().nullable().optional()

export const VoiceOutcome = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    stream_sid: z.string(),
    call_sid: str(),
    call_log_id: z.string().nullable().optional().describe("The call log this outcome was derived from"),
    resolution: z.string().describe("resolved, escalated, abandoned, voicemail, no_answer, failed, unresolved"),
    disposition: z.unknown().describe("{call_status, call_outcome, answered_by, reason}: the facts the resolution came from"),
    billing_status: z.string().describe("not_billable, pending_emit (billing event queued), emitted, failed"),
    billable_sku: str().describe("voice_ai_resolution | voice_ai_handoff, or null when not billable"),
    outcome_source: z.string().describe("Who wrote the outcome: call_finalize"),
    primary_intent: str(),
    risk_level: str(),
    escalated: z.boolean(),
    duration_seconds: z.number().int().nullable().optional(),
    call_type: str(),
    agent_name: str(),
    customer_phone: str(),
    org_id: str(),
    metadata: z.unknown(),
    occurred_at: z.string(),
    created_at: z.string(),
    updated_at: z.string()
  })
  .meta({ id: "VoiceOutcome", description: "The canonical outcome of a call and its billing decision" })

export const VoiceOutcomesListResponse = z
  .object({ ok: z.boolean(), tenant: z.string(), count: z.number().int().min(0).describe("Outcomes in this page"), outcomes: z.array(VoiceOutcome) })
  .meta({ id: "VoiceOutcomesListResponse" })

export const VoiceOutcomeDetailResponse = z.object({ ok: z.boolean(), tenant: z.string(), outcome: VoiceOutcome }).meta({ id: "VoiceOutcomeDetailResponse" })

export const VoiceOutcomeCount = z.object({ name: z.string(), count: z.number().int() }).meta({ id: "VoiceOutcomeCount" })

export const VoiceOutcomeStats = z
  .object({
    total: z.number().int(),
    billable: z.number().int().describe("Outcomes with a billable SKU"),
    not_billable: z.number().int(),
    pending_emit: z.number().int(),
    emitted: z.number().int(),
    failed_billing: z.number().int(),
    escalated: z.number().int(),
    avg_duration_seconds: z.number().nullable().optional(),
    resolution_mix: z.array(VoiceOutcomeCount),
    billing_status_mix: z.array(VoiceOutcomeCount),
    sku_mix: z.array(VoiceOutcomeCount).describe('"none" counts outcomes without a SKU'),
    risk_mix: z.array(VoiceOutcomeCount).describe('"unknown" counts outcomes without a risk level')
  })
  .meta({ id: "VoiceOutcomeStats" })

export const VoiceOutcomeStatsResponse = z.object({ ok: z.boolean(), tenant: z.string(), stats: VoiceOutcomeStats }).meta({ id: "VoiceOutcomeStatsResponse" })

export const VoiceOutcomeTimeseriesPoint = z
  .object({
    bucket_start: z.string(),
    total: z.number().int(),
    billable: z.number().int(),
    escalated: z.number().int(),
    pending_emit: z.number().int(),
    avg_duration_seconds: z.number().nullable().optional()
  })
  .meta({ id: "VoiceOutcomeTimeseriesPoint" })

export const VoiceOutcomeTimeseries = z
  .object({ window: z.string(), bucket: z.string(), points: z.array(VoiceOutcomeTimeseriesPoint) })
  .meta({ id: "VoiceOutcomeTimeseries" })

export const VoiceOutcomeTimeseriesResponse = z
  .object({ ok: z.boolean(), tenant: z.string(), timeseries: VoiceOutcomeTimeseries })
  .meta({ id: "VoiceOutcomeTimeseriesResponse" })

export const ListVoiceOutcomesInput = z.object({
  resolution: z.string().optional().describe("resolved, escalated, abandoned, voicemail, no_answer, failed, unresolved"),
  billing_status: z.string().optional().describe("not_billable, pending_emit, emitted, failed"),
  billable_sku: z.string().optional(),
  call_type: z.string().optional(),
  limit: z.number().int().optional().describe("Default 50, max 200"),
  offset: z.number().int().optional()
})

export const OutcomeWindowInput = z.object({ window: z.string().optional().describe("24h | 7d | 30d | all (default 24h)") })
export const OutcomeTimeseriesInput = OutcomeWindowInput.extend({
  bucket: z.string().optional().describe("hour | day (default hour for 24h, else day)")
})
