import { z } from "zod"

const str = () => z.string().nullable().optional()

export const VoiceSessionEval = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    session_id: z.string().describe("The session reference the evaluation was recorded with (session id or stream id)"),
    voice_session_id: z.string(),
    stream_id: str(),
    call_log_id: z.string().nullable().describe("The call log of the session; null when unknown"),
    agent_version_id: z.string().nullable().describe("Agent version that ran the call; null when unknown"),
    agent_key: str(),
    agent_name: str(),
    score: z.number().describe("Normalised to 0..1 (a score sent on 0..100 is divided by 100)"),
    tags: z.array(z.string()),
    rubric: z.unknown(),
    notes: str(),
    source: str(),
    metadata: z.unknown(),
    created_at: z.string(),
    updated_at: z.string()
  })
  .meta({ id: "VoiceSessionEval", description: "Persisted evaluation for a voice session (one per session; recording again replaces it)" })

export const VoiceSessionEvalStats = z
  .object({
    total_evals: z.number().int().min(0),
    evals_last_24h: z.number().int().min(0),
    avg_score: z.number().nullable().optional().describe("Average normalised score (0..1)"),
    high_quality_rate: z.number().nullable().optional().describe("Share of evaluations scoring 0.8 or more")
  })
  .meta({ id: "VoiceSessionEvalStats", description: "Aggregate evaluation metrics for a tenant" })

export const VoiceSessionEvalsListResponse = z
  .object({ ok: z.boolean(), tenant: z.string(), count: z.number().int().min(0), evals: z.array(VoiceSessionEval) })
  .describe("A page of evaluations (the contract documents no body; this one is ours, left unnamed)")

export const ListVoiceSessionEvalsInput = z.object({
  min_score: z.number().optional().describe("Minimum score, on 0..1 or 0..100 (read like recorded scores)"),
  max_score: z.number().optional().describe("Maximum score, on 0..1 or 0..100"),
  tag: z.string().optional().describe("Only evaluations carrying this tag"),
  limit: z.number().int().optional().describe("Default 50, max 200"),
  offset: z.number().int().optional()
})
