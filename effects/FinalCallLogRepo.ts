import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { CALL_LOG_COLUMNS, type CallLogRow, type FinalCallLog } from "./CallLogsRepo.js"

// The call's identity: by call SID when Twilio gave one (the make-call path wrote a queued row
// under it), else by stream SID (a stream opened by an internal client).
const BY_CALL_SID = "(tenant_id, call_sid) WHERE call_sid IS NOT NULL"
const BY_STREAM_SID = "(tenant_id, stream_sid) WHERE stream_sid IS NOT NULL"

/**
 * Upserts the final call log. Merge rules when a row exists (written by make-call and moved
 * along by Twilio's status callbacks, which know the telephony side better than the media
 * runtime): a terminal status already recorded stays; outcome, answered_by, duration and
 * recording keep the callback's value when present; escalation is sticky; the runtime owns
 * transcript, function calls, summary, model/voice and latency.
 */
export class FinalCallLogRepo extends Effect.Service<FinalCallLogRepo>()("FinalCallLogRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const upsert = (tenantId: string, r: FinalCallLog) => {
      const llm = r.latency?.llm_first_token ?? null
      const e2e = r.latency?.e2e_first_audio ?? null
      const target = sql.literal(r.call_sid ? BY_CALL_SID : BY_STREAM_SID)
      return sql<CallLogRow>`
        INSERT INTO call_logs (tenant_id, call_sid, stream_sid, direction, status, outcome, answered_by, from_number, to_number,
          agent_version_id, model, voice, system_prompt_key, started_at, ended_at, duration_seconds, escalated, escalation_reason,
          error_message, recording_url, summary, transcript, function_calls, latency_turns,
          llm_first_token_avg_ms, llm_first_token_p50_ms, llm_first_token_p95_ms, llm_first_token_p99_ms, llm_first_token_max_ms,
          e2e_first_audio_avg_ms, e2e_first_audio_p50_ms, e2e_first_audio_p95_ms, e2e_first_audio_p99_ms, e2e_first_audio_max_ms)
        VALUES (${tenantId}, ${r.call_sid ?? null}, ${r.stream_sid}, ${r.direction}, ${r.status}, ${r.outcome ?? null}, ${r.answered_by ?? null},
          ${r.from_number ?? null}, ${r.to_number ?? null}, ${r.agent_version_id ?? null}, ${r.model ?? null}, ${r.voice ?? null},
          ${r.system_prompt_key ?? null}, ${r.started_at}, ${r.ended_at}, ${r.duration_seconds ?? null}, ${r.escalated},
          ${r.escalation_reason ?? null}, ${r.error_message ?? null}, ${r.recording_url ?? null}, ${r.summary ?? null},
          ${JSON.stringify(r.transcript)}::jsonb, ${JSON.stringify(r.function_calls)}::jsonb, ${r.latency ? r.latency.turns : null},
          ${llm?.avg_ms ?? null}, ${llm?.p50_ms ?? null}, ${llm?.p95_ms ?? null}, ${llm?.p99_ms ?? null}, ${llm?.max_ms ?? null},
          ${e2e?.avg_ms ?? null}, ${e2e?.p50_ms ?? null}, ${e2e?.p95_ms ?? null}, ${e2e?.p99_ms ?? null}, ${e2e?.max_ms ?? null})
        ON CONFLICT ${target} DO UPDATE SET
          stream_sid = COALESCE(EXCLUDED.stream_sid, call_logs.stream_sid),
          call_sid = COALESCE(call_logs.call_sid, EXCLUDED.call_sid),
          status = CASE WHEN call_logs.status IN ('queued', 'in_progress') THEN EXCLUDED.status ELSE call_logs.status END,
          outcome = COALESCE(call_logs.outcome, EXCLUDED.outcome),
          answered_by = COALESCE(call_logs.answered_by, EXCLUDED.answered_by),
          from_number = COALESCE(call_logs.from_number, EXCLUDED.from_number),
          to_number = COALESCE(call_logs.to_number, EXCLUDED.to_number),
          agent_version_id = COALESCE(EXCLUDED.agent_version_id, call_logs.agent_version_id),
          model = COALESCE(EXCLUDED.model, call_logs.model),
          voice = COALESCE(EXCLUDED.voice, call_logs.voice),
          system_prompt_key = COALESCE(EXCLUDED.system_prompt_key, call_logs.system_prompt_key),
          started_at = LEAST(call_logs.started_at, EXCLUDED.started_at),
          ended_at = COALESCE(call_logs.ended_at, EXCLUDED.ended_at),
          duration_seconds = COALESCE(call_logs.duration_seconds, EXCLUDED.duration_seconds),
          escalated = call_logs.escalated OR EXCLUDED.escalated,
          escalation_reason = COALESCE(EXCLUDED.escalation_reason, call_logs.escalation_reason),
          error_message = COALESCE(EXCLUDED.error_message, call_logs.error_message),
          recording_url = COALESCE(call_logs.recording_url, EXCLUDED.recording_url),
          summary = COALESCE(EXCLUDED.summary, call_logs.summary),
          transcript = EXCLUDED.transcript,
          function_calls = EXCLUDED.function_calls,
          latency_turns = EXCLUDED.latency_turns,
          llm_first_token_avg_ms = EXCLUDED.llm_first_token_avg_ms, llm_first_token_p50_ms = EXCLUDED.llm_first_token_p50_ms,
          llm_first_token_p95_ms = EXCLUDED.llm_first_token_p95_ms, llm_first_token_p99_ms = EXCLUDED.llm_first_token_p99_ms,
          llm_first_token_max_ms = EXCLUDED.llm_first_token_max_ms,
          e2e_first_audio_avg_ms = EXCLUDED.e2e_first_audio_avg_ms, e2e_first_audio_p50_ms = EXCLUDED.e2e_first_audio_p50_ms,
          e2e_first_audio_p95_ms = EXCLUDED.e2e_first_audio_p95_ms, e2e_first_audio_p99_ms = EXCLUDED.e2e_first_audio_p99_ms,
          e2e_first_audio_max_ms = EXCLUDED.e2e_first_audio_max_ms,
          updated_at = now()
        RETURNING ${sql.literal(CALL_LOG_COLUMNS)}`.pipe(Effect.map((rows) => rows[0]!))
    }

    return { upsert } as const
  })
}) {}
