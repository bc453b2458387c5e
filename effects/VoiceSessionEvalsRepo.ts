import { SqlClient, type Statement } from "@effect/sql"
import { Effect } from "effect"
import { HIGH_QUALITY_SCORE } from "../src/domain/eval-score.js"
import type { EvalQuery } from "../src/domain/record-queries.js"

export interface VoiceSessionEvalRow {
  readonly id: string
  readonly tenant_id: string
  readonly session_id: string
  readonly voice_session_id: string
  readonly stream_id: string | null
  readonly call_log_id: string | null
  readonly agent_version_id: string | null
  readonly agent_key: string | null
  readonly agent_name: string | null
  readonly score: number
  readonly rubric: unknown
  readonly tags: Array<string>
  readonly notes: string | null
  readonly source: string | null
  readonly metadata: unknown
  readonly created_at: Date
  readonly updated_at: Date
}

export type NewVoiceSessionEval = Omit<VoiceSessionEvalRow, "id" | "tenant_id" | "created_at" | "updated_at">

export interface EvalStatsRow {
  readonly total_evals: number
  readonly evals_last_24h: number
  readonly avg_score: number | null
  readonly high_quality_evals: number
}

export interface VersionEvalStatsRow {
  readonly agent_version_id: string
  readonly eval_count: number
  readonly avg_score: number | null
  readonly high_quality_count: number
  readonly last_eval_at: Date | null
}

const COLUMNS = `id, tenant_id, session_id, voice_session_id, stream_id, call_log_id, agent_version_id, agent_key, agent_name, score,
  rubric, tags, notes, source, metadata, created_at, updated_at`

/** SQL for voice_session_evals. */
export class VoiceSessionEvalsRepo extends Effect.Service<VoiceSessionEvalsRepo>()("VoiceSessionEvalsRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const cols = sql.literal(COLUMNS)

    /** One evaluation per session: recording again replaces score, rubric, tags and notes. */
    const upsert = (tenantId: string, e: NewVoiceSessionEval) =>
      sql<VoiceSessionEvalRow>`INSERT INTO voice_session_evals (tenant_id, session_id, voice_session_id, stream_id, call_log_id,
          agent_version_id, agent_key, agent_name, score, rubric, tags, notes, source, metadata)
        VALUES (${tenantId}, ${e.session_id}, ${e.voice_session_id}, ${e.stream_id}, ${e.call_log_id}, ${e.agent_version_id},
          ${e.agent_key}, ${e.agent_name}, ${e.score}, ${JSON.stringify(e.rubric ?? {})}::jsonb, ${e.tags}::text[], ${e.notes},
          ${e.source}, ${JSON.stringify(e.metadata ?? {})}::jsonb)
        ON CONFLICT (tenant_id, voice_session_id) DO UPDATE SET session_id = EXCLUDED.session_id, stream_id = EXCLUDED.stream_id,
          call_log_id = EXCLUDED.call_log_id, agent_version_id = EXCLUDED.agent_version_id, agent_key = EXCLUDED.agent_key,
          agent_name = EXCLUDED.agent_name, score = EXCLUDED.score, rubric = EXCLUDED.rubric, tags = EXCLUDED.tags,
          notes = EXCLUDED.notes, source = EXCLUDED.source, metadata = EXCLUDED.metadata, updated_at = now()
        RETURNING ${cols}`.pipe(Effect.orDie, Effect.map((rows) => rows[0]!))

    const findBySession = (tenantId: string, voiceSessionId: string) =>
      sql<VoiceSessionEvalRow>`SELECT ${cols} FROM voice_session_evals WHERE tenant_id = ${tenantId} AND voice_session_id = ${voiceSessionId}`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows[0])
      )

    const list = (tenantId: string, q: EvalQuery) => {
      const c: Array<Statement.Fragment> = [sql`tenant_id = ${tenantId}`]
      if (q.minScore !== undefined) c.push(sql`score >= ${q.minScore}`)
      if (q.maxScore !== undefined) c.push(sql`score <= ${q.maxScore}`)
      if (q.tag !== undefined) c.push(sql`${q.tag} = ANY (tags)`)
      return sql<VoiceSessionEvalRow>`SELECT ${cols} FROM voice_session_evals WHERE ${sql.and(c)}
        ORDER BY created_at DESC, id DESC LIMIT ${q.page.limit} OFFSET ${q.page.offset}`.pipe(Effect.orDie)
    }

    const stats = (tenantId: string, now: Date) =>
      sql<EvalStatsRow>`SELECT count(*) AS total_evals,
          count(*) FILTER (WHERE created_at >= ${now}::timestamptz - interval '24 hours') AS evals_last_24h,
          avg(score) AS avg_score,
          count(*) FILTER (WHERE score >= ${HIGH_QUALITY_SCORE}) AS high_quality_evals
        FROM voice_session_evals WHERE tenant_id = ${tenantId}`.pipe(Effect.orDie, Effect.map((rows) => rows[0]!))

    /** Per-version aggregates of evaluations recorded since `from` (rollout governance). */
    const versionStats = (tenantId: string, versionIds: ReadonlyArray<string>, from: Date) =>
      versionIds.length === 0
        ? Effect.succeed<ReadonlyArray<VersionEvalStatsRow>>([])
        : sql<VersionEvalStatsRow>`SELECT agent_version_id, count(*) AS eval_count, avg(score) AS avg_score,
              count(*) FILTER (WHERE score >= ${HIGH_QUALITY_SCORE}) AS high_quality_count, max(created_at) AS last_eval_at
            FROM voice_session_evals
            WHERE tenant_id = ${tenantId} AND agent_version_id IN ${sql.in(versionIds)} AND created_at >= ${from}
            GROUP BY agent_version_id`.pipe(Effect.orDie)

    return { upsert, findBySession, list, stats, versionStats } as const
  })
}) {}
