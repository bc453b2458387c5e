import { SqlClient, type Statement } from "@effect/sql"
import { Effect } from "effect"
import type { SessionQuery } from "../src/domain/record-queries.js"

export interface VoiceSessionRow {
  readonly id: string
  readonly tenant_id: string
  readonly stream_id: string
  readonly call_sid: string | null
  readonly call_type: string | null
  readonly customer_phone: string | null
  readonly agent_name: string | null
  readonly org_id: string | null
  readonly model: string | null
  readonly voice: string | null
  readonly status: string
  readonly summary: string | null
  readonly sentiment: string | null
  readonly rating: number | null
  readonly tags: Array<string>
  readonly transcript: Array<unknown>
  readonly function_calls: Array<unknown>
  readonly vad_events: Array<unknown>
  readonly metadata: unknown
  readonly turn_count: number
  readonly duration_ms: number | null
  readonly started_at: Date
  readonly ended_at: Date | null
  readonly created_at: Date
  readonly updated_at: Date
}

/** A session write: absent (undefined) fields keep the stored value on upsert. */
export interface VoiceSessionWrite {
  readonly stream_id: string
  readonly call_sid?: string | null | undefined
  readonly call_type?: string | null | undefined
  readonly customer_phone?: string | null | undefined
  readonly agent_name?: string | null | undefined
  readonly org_id?: string | null | undefined
  readonly model?: string | null | undefined
  readonly voice?: string | null | undefined
  readonly status?: string | undefined
  readonly summary?: string | null | undefined
  readonly sentiment?: string | null | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly transcript?: ReadonlyArray<unknown> | undefined
  readonly function_calls?: ReadonlyArray<unknown> | undefined
  readonly vad_events?: ReadonlyArray<unknown> | undefined
  readonly metadata?: unknown
  readonly turn_count?: number | undefined
  readonly duration_ms?: number | null | undefined
  readonly started_at?: Date | undefined
  readonly ended_at?: Date | null | undefined
}

const COLUMNS = `id, tenant_id, stream_id, call_sid, call_type, customer_phone, agent_name, org_id, model, voice, status, summary,
  sentiment, rating, tags, transcript, function_calls, vad_events, metadata, turn_count, duration_ms, started_at, ended_at,
  created_at, updated_at`

// Column names come from this list only, never from the caller's object keys.
const UPDATABLE = [
  "call_sid", "call_type", "customer_phone", "agent_name", "org_id", "model", "voice", "status", "summary", "sentiment", "tags",
  "transcript", "function_calls", "vad_events", "metadata", "turn_count", "duration_ms", "started_at", "ended_at"
] as const satisfies ReadonlyArray<keyof VoiceSessionWrite>

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v))

/** SQL for voice_sessions. */
export class VoiceSessionsRepo extends Effect.Service<VoiceSessionsRepo>()("VoiceSessionsRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const cols = sql.literal(COLUMNS)
    const one = (rows: ReadonlyArray<VoiceSessionRow>) => rows[0]

    const values = (tenantId: string, s: VoiceSessionWrite) => sql`(${tenantId}, ${s.stream_id}, ${s.call_sid ?? null}, ${s.call_type ?? null},
      ${s.customer_phone ?? null}, ${s.agent_name ?? null}, ${s.org_id ?? null}, ${s.model ?? null}, ${s.voice ?? null},
      ${s.status ?? "active"}, ${s.summary ?? null}, ${s.sentiment ?? null}, ${s.tags ?? []}::text[],
      COALESCE(${json(s.transcript)}::jsonb, '[]'), COALESCE(${json(s.function_calls)}::jsonb, '[]'),
      COALESCE(${json(s.vad_events)}::jsonb, '[]'), COALESCE(${json(s.metadata)}::jsonb, '{}'),
      ${s.turn_count ?? s.transcript?.length ?? 0}, ${s.duration_ms ?? null},
      COALESCE(${s.started_at ?? null}::timestamptz, date_trunc('milliseconds', now())), ${s.ended_at ?? null})`

    const INSERT = sql.literal(`INSERT INTO voice_sessions (tenant_id, stream_id, call_sid, call_type, customer_phone, agent_name, org_id,
      model, voice, status, summary, sentiment, tags, transcript, function_calls, vad_events, metadata, turn_count, duration_ms,
      started_at, ended_at) VALUES`)

    /** Fails with the unique violation (tenant_id, stream_id) for the caller to map. */
    const insert = (tenantId: string, s: VoiceSessionWrite) =>
      sql<VoiceSessionRow>`${INSERT} ${values(tenantId, s)} RETURNING ${cols}`.pipe(Effect.map((rows) => rows[0]!))

    /** The call runtime's write: insert, or update the stream's session with the fields given. */
    const upsertByStream = (tenantId: string, s: VoiceSessionWrite) => {
      const given: Array<string> = UPDATABLE.filter((k) => s[k] !== undefined)
      if (s.transcript !== undefined && s.turn_count === undefined) given.push("turn_count")
      const sets = [...given.map((k) => `${k} = EXCLUDED.${k}`), "updated_at = now()"].join(", ")
      return sql<VoiceSessionRow>`${INSERT} ${values(tenantId, s)}
        ON CONFLICT (tenant_id, stream_id) DO UPDATE SET ${sql.literal(sets)}
        RETURNING ${cols}`.pipe(Effect.map((rows) => rows[0]!))
    }

    const findById = (tenantId: string, id: string) =>
      sql<VoiceSessionRow>`SELECT ${cols} FROM voice_sessions WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(Effect.orDie, Effect.map(one))

    const findByStream = (tenantId: string, streamId: string) =>
      sql<VoiceSessionRow>`SELECT ${cols} FROM voice_sessions WHERE tenant_id = ${tenantId} AND stream_id = ${streamId}`.pipe(Effect.orDie, Effect.map(one))

    const findByCallSid = (tenantId: string, callSid: string) =>
      sql<VoiceSessionRow>`SELECT ${cols} FROM voice_sessions WHERE tenant_id = ${tenantId} AND call_sid = ${callSid}
        ORDER BY started_at DESC LIMIT 1`.pipe(Effect.orDie, Effect.map(one))

    const list = (tenantId: string, q: SessionQuery) => {
      const c: Array<Statement.Fragment> = [sql`tenant_id = ${tenantId}`]
      if (q.status !== undefined) c.push(sql`status = ${q.status}`)
      if (q.startedAfter !== undefined) c.push(sql`started_at > ${q.startedAfter}`)
      if (q.search?.kind === "text") c.push(sql`search_tsv @@ phraseto_tsquery('simple', ${q.search.text})`)
      if (q.search?.kind === "phone") c.push(sql`regexp_replace(coalesce(customer_phone, ''), '[^0-9]', '', 'g') LIKE ${`%${q.search.digits}%`}`)
      const dir = sql.literal(q.sort === "asc" ? "ASC" : "DESC")
      return sql<VoiceSessionRow>`SELECT ${cols} FROM voice_sessions WHERE ${sql.and(c)}
        ORDER BY started_at ${dir}, id ${dir} LIMIT ${q.page.limit} OFFSET ${q.page.offset}`.pipe(Effect.orDie)
    }

    return { insert, upsertByStream, findById, findByStream, findByCallSid, list } as const
  })
}) {}
