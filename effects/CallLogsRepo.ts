import { SqlClient, type Statement } from "@effect/sql"
import { Effect } from "effect"
import type { CallDirection, CallLogFilters, CallOutcome, CallStatus, PageRequest } from "../src/domain/call-log-query.js"
import type { CallLatencySummary } from "../src/domain/percentiles.js"

export interface TranscriptEntry {
  readonly role: string
  readonly content: string
  readonly timestamp: string
}

export interface FunctionCallEntry {
  readonly name: string
  readonly arguments: unknown
  readonly result?: unknown
  readonly duration_ms?: number | null
  readonly timestamp: string
}

export interface CallLogRow {
  readonly id: string
  readonly tenant_id: string
  readonly call_sid: string | null
  readonly stream_sid: string | null
  readonly direction: CallDirection
  readonly status: CallStatus
  readonly outcome: CallOutcome | null
  readonly answered_by: string | null
  readonly from_number: string | null
  readonly to_number: string | null
  readonly agent_version_id: string | null
  readonly model: string | null
  readonly voice: string | null
  readonly system_prompt_key: string | null
  readonly started_at: Date
  readonly ended_at: Date | null
  readonly duration_seconds: number | null
  readonly escalated: boolean
  readonly escalation_reason: string | null
  readonly error_message: string | null
  readonly recording_url: string | null
  readonly summary: string | null
  readonly transcript: Array<TranscriptEntry>
  readonly function_calls: Array<FunctionCallEntry>
  readonly transcript_length: number
  readonly function_call_count: number
  readonly latency_turns: number | null
  readonly created_at: Date
  readonly updated_at: Date
}

/** The list view: no transcript or function calls are read for a page. */
export type CallLogSummaryRow = Pick<
  CallLogRow,
  "id" | "stream_sid" | "direction" | "status" | "outcome" | "from_number" | "to_number" | "started_at" | "ended_at" | "duration_seconds" | "escalated" | "function_call_count" | "transcript_length" | "created_at"
>

/** Columns a caller may change with `update` (the call-status state machine uses this). */
export interface CallLogPatch {
  readonly call_sid?: string | null
  readonly stream_sid?: string | null
  readonly status?: CallStatus
  readonly outcome?: CallOutcome | null
  readonly answered_by?: string | null
  readonly from_number?: string | null
  readonly to_number?: string | null
  readonly agent_version_id?: string | null
  readonly model?: string | null
  readonly voice?: string | null
  readonly system_prompt_key?: string | null
  readonly started_at?: Date
  readonly ended_at?: Date | null
  readonly duration_seconds?: number | null
  readonly escalated?: boolean
  readonly escalation_reason?: string | null
  readonly error_message?: string | null
  readonly recording_url?: string | null
  readonly summary?: string | null
}

const PATCHABLE = [
  "call_sid", "stream_sid", "status", "outcome", "answered_by", "from_number", "to_number", "agent_version_id", "model", "voice",
  "system_prompt_key", "started_at", "ended_at", "duration_seconds", "escalated", "escalation_reason", "error_message", "recording_url", "summary"
] as const satisfies ReadonlyArray<keyof CallLogPatch>

export interface QueuedCall {
  readonly call_sid: string | null
  readonly direction: "inbound" | "outbound"
  readonly from_number: string | null
  readonly to_number: string | null
  readonly agent_version_id?: string | null | undefined
  readonly model?: string | null | undefined
  readonly voice?: string | null | undefined
  readonly system_prompt_key?: string | null | undefined
}

/** Everything the call runtime knows when a call ends (see CallLogs.finalize). */
export interface FinalCallLog extends Omit<QueuedCall, "direction"> {
  readonly direction: "inbound" | "outbound"
  readonly stream_sid: string
  readonly status: CallStatus
  readonly outcome?: CallOutcome | null | undefined
  readonly answered_by?: string | null | undefined
  readonly started_at: Date
  readonly ended_at: Date
  readonly duration_seconds?: number | null | undefined
  readonly escalated: boolean
  readonly escalation_reason?: string | null | undefined
  readonly error_message?: string | null | undefined
  readonly recording_url?: string | null | undefined
  readonly summary?: string | null | undefined
  readonly transcript: Array<TranscriptEntry>
  readonly function_calls: Array<FunctionCallEntry>
  readonly latency?: CallLatencySummary | null | undefined
}

const SUMMARY_COLUMNS = `id, stream_sid, direction, status, outcome, from_number, to_number, started_at, ended_at,
  duration_seconds, escalated, function_call_count, transcript_length, created_at`
export const CALL_LOG_COLUMNS = `id, tenant_id, call_sid, stream_sid, direction, status, outcome, answered_by, from_number, to_number,
  agent_version_id, model, voice, system_prompt_key, started_at, ended_at, duration_seconds, escalated, escalation_reason,
  error_message, recording_url, summary, transcript, function_calls, transcript_length, function_call_count, latency_turns,
  created_at, updated_at`

/** SQL for call_logs. Every statement is scoped by tenant; infrastructure failures are defects. */
export class CallLogsRepo extends Effect.Service<CallLogsRepo>()("CallLogsRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const row = sql.literal(CALL_LOG_COLUMNS)

    const filterClauses = (tenantId: string, f: CallLogFilters): Array<Statement.Fragment> => {
      const c: Array<Statement.Fragment> = [sql`tenant_id = ${tenantId}`]
      if (f.status !== undefined) c.push(sql`status = ${f.status}`)
      if (f.outcome !== undefined) c.push(sql`outcome = ${f.outcome}`)
      if (f.direction !== undefined) c.push(sql`direction = ${f.direction}`)
      if (f.fromNumber !== undefined) c.push(sql`from_number = ${f.fromNumber}`)
      if (f.toNumber !== undefined) c.push(sql`to_number = ${f.toNumber}`)
      if (f.escalated !== undefined) c.push(sql`escalated = ${f.escalated}`)
      // Each started_at bound is repeated on the UTC day so call_logs_tenant_started_idx can bound a scan.
      if (f.fromDate !== undefined) c.push(sql`(started_at AT TIME ZONE 'UTC')::date >= (${f.fromDate}::timestamptz AT TIME ZONE 'UTC')::date AND started_at >= ${f.fromDate}`)
      if (f.toDate !== undefined) c.push(sql`(started_at AT TIME ZONE 'UTC')::date <= (${f.toDate}::timestamptz AT TIME ZONE 'UTC')::date AND started_at < ${f.toDate}`)
      if (f.minDuration !== undefined) c.push(sql`duration_seconds >= ${f.minDuration}`)
      if (f.maxDuration !== undefined) c.push(sql`duration_seconds <= ${f.maxDuration}`)
      if (f.transcriptSearch !== undefined) c.push(sql`transcript_tsv @@ phraseto_tsquery('simple', ${f.transcriptSearch})`)
      if (f.callSid !== undefined) c.push(sql`call_sid = ${f.callSid}`)
      return c
    }

    /** One page in (created_at DESC, id DESC) order; fetches limit + 1 rows so the caller knows if more follow. */
    const list = (tenantId: string, filters: CallLogFilters, page: PageRequest) => {
      const where = filterClauses(tenantId, filters)
      if (page.kind === "cursor") where.push(sql`(created_at, id) < (${page.after.t}::timestamptz, ${page.after.id}::uuid)`)
      const offset = page.kind === "offset" ? page.offset : 0
      return sql<CallLogSummaryRow>`SELECT ${sql.literal(SUMMARY_COLUMNS)} FROM call_logs WHERE ${sql.and(where)}
        ORDER BY created_at DESC, id DESC LIMIT ${page.limit + 1} OFFSET ${offset}`.pipe(Effect.orDie)
    }

    const one = (rows: ReadonlyArray<CallLogRow>) => rows[0]

    const findById = (tenantId: string, id: string) =>
      sql<CallLogRow>`SELECT ${row} FROM call_logs WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(Effect.orDie, Effect.map(one))

    const findByCallSid = (tenantId: string, callSid: string) =>
      sql<CallLogRow>`SELECT ${row} FROM call_logs WHERE tenant_id = ${tenantId} AND call_sid = ${callSid}`.pipe(Effect.orDie, Effect.map(one))

    const findByStreamSid = (tenantId: string, streamSid: string) =>
      sql<CallLogRow>`SELECT ${row} FROM call_logs WHERE tenant_id = ${tenantId} AND stream_sid = ${streamSid}`.pipe(Effect.orDie, Effect.map(one))

    const insertQueued = (tenantId: string, c: QueuedCall) =>
      sql<CallLogRow>`INSERT INTO call_logs (tenant_id, call_sid, direction, status, from_number, to_number, agent_version_id, model, voice, system_prompt_key)
        VALUES (${tenantId}, ${c.call_sid}, ${c.direction}, 'queued', ${c.from_number}, ${c.to_number}, ${c.agent_version_id ?? null},
                ${c.model ?? null}, ${c.voice ?? null}, ${c.system_prompt_key ?? null})
        RETURNING ${row}`.pipe(Effect.map((rows) => rows[0]!))

    const update = (tenantId: string, id: string, patch: CallLogPatch) => {
      // Columns come from this list, never from whatever keys the caller's object carries.
      const values = Object.fromEntries(PATCHABLE.flatMap((k) => (patch[k] !== undefined ? [[k, patch[k]]] : [])))
      if (Object.keys(values).length === 0) return findById(tenantId, id)
      return sql<CallLogRow>`UPDATE call_logs SET ${sql.update({ ...values, updated_at: new Date() })}
        WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING ${row}`.pipe(Effect.map(one))
    }

    return { list, findById, findByCallSid, findByStreamSid, insertQueued, update, filterClauses, withTransaction: sql.withTransaction } as const
  })
}) {}
