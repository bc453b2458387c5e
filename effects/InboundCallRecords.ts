import { SqlClient } from "@effect/sql"
import { Effect, Schedule } from "effect"

export interface InboundCall {
  readonly tenantId: string
  readonly callSid: string
  readonly from: string | null
  readonly to: string | null
  readonly startedAt: Date
}

const MAX_BATCH = 500

/**
 * The call logs of answered inbound calls, written behind the incoming-call webhook in batches
 * (one multi-row INSERT every few milliseconds) so answering Twilio never waits on a commit —
 * that webhook is the busiest request we serve. What a crash could lose is a few milliseconds
 * of new rows, and the call runtime upserts the same row by call SID when the call ends.
 * A duplicate webhook (Twilio retries) keeps the first row; a tenant deleted meanwhile is skipped.
 */
export class InboundCallRecords extends Effect.Service<InboundCallRecords>()("InboundCallRecords", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const pending: Array<InboundCall> = []
    const lock = yield* Effect.makeSemaphore(1)

    const write = (batch: ReadonlyArray<InboundCall>) => {
      const rows = batch.map((c) => ({ tenant_id: c.tenantId, call_sid: c.callSid, from_number: c.from, to_number: c.to, started_at: c.startedAt.toISOString() }))
      return sql`INSERT INTO call_logs (tenant_id, call_sid, direction, status, from_number, to_number, started_at)
        SELECT r.tenant_id, r.call_sid, 'inbound', 'in_progress', r.from_number, r.to_number, r.started_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id text, call_sid text, from_number text, to_number text, started_at timestamptz)
        WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = r.tenant_id)
        ON CONFLICT (tenant_id, call_sid) WHERE call_sid IS NOT NULL DO NOTHING`.pipe(
        Effect.catchAllCause((cause) => Effect.logError(`dropped ${batch.length} inbound call logs`, cause))
      )
    }

    /** Writes everything queued so far; when it returns, those rows are committed. */
    const flush = lock.withPermits(1)(
      Effect.gen(function* () {
        while (pending.length > 0) yield* write(pending.splice(0, MAX_BATCH))
      })
    )

    yield* flush.pipe(Effect.repeat(Schedule.spaced("10 millis")), Effect.forkScoped)
    yield* Effect.addFinalizer(() => flush)

    const add = (call: InboundCall) => Effect.sync(() => void pending.push(call))

    return { add, flush } as const
  })
}) {}
