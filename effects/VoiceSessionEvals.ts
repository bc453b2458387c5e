import { Effect } from "effect"
import { normalizeScore } from "../src/domain/eval-score.js"
import { rate } from "../src/domain/percentiles.js"
import type { EvalQuery } from "../src/domain/record-queries.js"
import { isUuid } from "../src/domain/uuid.js"
import { CallLogsRepo } from "./CallLogsRepo.js"
import { NotFound, ValidationFailed } from "./errors.js"
import { type VoiceSessionEvalRow, VoiceSessionEvalsRepo } from "./VoiceSessionEvalsRepo.js"
import { VoiceSessions } from "./VoiceSessions.js"

export interface RecordEvalInput {
  /** Voice session id or its stream id. */
  readonly session_id?: string | null | undefined
  /** Used to find the session when no session_id is given. */
  readonly call_sid?: string | null | undefined
  /** 0..1, or 0..100 read as a percentage (see src/domain/eval-score.ts). */
  readonly score: number
  readonly rubric?: unknown
  readonly tags?: ReadonlyArray<string> | null | undefined
  readonly notes?: string | null | undefined
  readonly source?: string | null | undefined
  readonly metadata?: unknown
  readonly agent_version_id?: string | null | undefined
  readonly agent_key?: string | null | undefined
  readonly agent_name?: string | null | undefined
}

export const voiceSessionEvalView = (r: VoiceSessionEvalRow) => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString()
})

export type VoiceSessionEval = ReturnType<typeof voiceSessionEvalView>

const MAX_TAGS = 50

/** Quality evaluations of voice sessions, linked to the call log and agent version when known. */
export class VoiceSessionEvals extends Effect.Service<VoiceSessionEvals>()("VoiceSessionEvals", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* VoiceSessionEvalsRepo
    const sessions = yield* VoiceSessions
    const callLogs = yield* CallLogsRepo

    const sessionOf = (tenantId: string, ref: { sessionId?: string | null | undefined; callSid?: string | null | undefined }) =>
      Effect.gen(function* () {
        if (!ref.sessionId?.trim() && !ref.callSid?.trim()) {
          return yield* Effect.fail(new ValidationFailed({ message: "session_id (voice session id or stream id) or call_sid is required" }))
        }
        const session = yield* sessions.resolve(tenantId, ref)
        if (!session) return yield* Effect.fail(new NotFound({ resource: "voice session", id: ref.sessionId ?? ref.callSid ?? undefined }))
        return session
      })

    const record = (tenantId: string, input: RecordEvalInput) =>
      Effect.gen(function* () {
        const score = normalizeScore(input.score)
        if (!score.ok) return yield* Effect.fail(new ValidationFailed({ message: score.error }))
        if (input.agent_version_id != null && !isUuid(input.agent_version_id)) {
          return yield* Effect.fail(new ValidationFailed({ message: "agent_version_id must be a UUID" }))
        }
        const tags = [...new Set((input.tags ?? []).map((t) => t.trim()).filter((t) => t !== ""))]
        if (tags.length > MAX_TAGS) return yield* Effect.fail(new ValidationFailed({ message: `at most ${MAX_TAGS} tags` }))
        const session = yield* sessionOf(tenantId, { sessionId: input.session_id, callSid: input.call_sid })
        const log =
          (session.call_sid ? yield* callLogs.findByCallSid(tenantId, session.call_sid) : undefined) ??
          (yield* callLogs.findByStreamSid(tenantId, session.stream_id))
        const row = yield* repo.upsert(tenantId, {
          session_id: input.session_id?.trim() || session.id,
          voice_session_id: session.id,
          stream_id: session.stream_id,
          call_log_id: log?.id ?? null,
          agent_version_id: input.agent_version_id ?? log?.agent_version_id ?? null,
          agent_key: input.agent_key ?? null,
          agent_name: input.agent_name ?? session.agent_name,
          score: score.value,
          rubric: input.rubric ?? {},
          tags,
          notes: input.notes ?? null,
          source: input.source ?? null,
          metadata: input.metadata ?? {}
        })
        return voiceSessionEvalView(row)
      })

    const getBySession = (tenantId: string, ref: { sessionId?: string | null | undefined; callSid?: string | null | undefined }) =>
      Effect.gen(function* () {
        const session = yield* sessionOf(tenantId, ref)
        const row = yield* repo.findBySession(tenantId, session.id)
        if (!row) return yield* Effect.fail(new NotFound({ resource: "evaluation for voice session", id: ref.sessionId ?? ref.callSid ?? undefined }))
        return voiceSessionEvalView(row)
      })

    const list = (tenantId: string, q: EvalQuery) => repo.list(tenantId, q).pipe(Effect.map((rows) => rows.map(voiceSessionEvalView)))

    const stats = (tenantId: string, now: Date = new Date()) =>
      repo.stats(tenantId, now).pipe(
        Effect.map((s) => ({
          total_evals: s.total_evals,
          evals_last_24h: s.evals_last_24h,
          avg_score: s.avg_score,
          high_quality_rate: rate(s.high_quality_evals, s.total_evals)
        }))
      )

    return { record, getBySession, list, stats } as const
  }),
  dependencies: [VoiceSessionEvalsRepo.Default, VoiceSessions.Default, CallLogsRepo.Default]
}) {}
