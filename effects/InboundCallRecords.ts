import { SqlClient } from "@effect/sql"
import { Deferred, Duration, Effect, Queue, Schedule } from "effect"

export interface InboundCall {
  readonly tenantId: string
  readonly callSid: string
  readonly from: string | null
  readonly to: string | null
  readonly startedAt: Date
}

interface Entry {
  readonly call: InboundCall
  readonly committed: Deferred.Deferred<void>
}

const MAX_BATCH = 500
// How long the webhook waits for its row before answering Twilio anyway: a caller is never
// left ringing because the database is slow; the row stays queued and is retried.
const WEBHOOK_WAIT = Duration.seconds(2)
const RETRY = Schedule.exponential("100 millis", 2).pipe(Schedule.either(Schedule.spaced("2 seconds")))

/**
 * Call logs of answered inbound calls, written by group commit: one writer fiber takes every
 * row queued so far and inserts them in one statement, so under load many webhooks share a
 * commit, and when idle a row waits for one insert only. The webhook answers after its row is
 * committed (or after WEBHOOK_WAIT); a failed insert is retried, never dropped, and whatever is
 * still queued at shutdown gets a last attempt. A duplicate webhook keeps the first row.
 */
export class InboundCallRecords extends Effect.Service<InboundCallRecords>()("InboundCallRecords", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const queue = yield* Queue.unbounded<Entry>()
    const outstanding = new Set<Deferred.Deferred<void>>()

    const insert = (batch: ReadonlyArray<Entry>) => {
      const rows = batch.map(({ call: c }) => ({ tenant_id: c.tenantId, call_sid: c.callSid, from_number: c.from, to_number: c.to, started_at: c.startedAt.toISOString() }))
      return sql`INSERT INTO call_logs (tenant_id, call_sid, direction, status, from_number, to_number, started_at)
        SELECT r.tenant_id, r.call_sid, 'inbound', 'in_progress', r.from_number, r.to_number, r.started_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id text, call_sid text, from_number text, to_number text, started_at timestamptz)
        WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = r.tenant_id)
        ON CONFLICT (tenant_id, call_sid) WHERE call_sid IS NOT NULL DO NOTHING`
    }

    const settle = (batch: ReadonlyArray<Entry>) =>
      Effect.forEach(batch, (e) => Deferred.succeed(e.committed, undefined).pipe(Effect.tap(() => outstanding.delete(e.committed))), { discard: true })

    const writeBatch = (batch: ReadonlyArray<Entry>) =>
      insert(batch).pipe(
        Effect.tapError((e) => Effect.logWarning(`inbound call log insert failed for ${batch.length} rows; retrying`, e)),
        Effect.retry(RETRY),
        Effect.zipRight(settle(batch))
      )

    yield* Queue.takeBetween(queue, 1, MAX_BATCH).pipe(
      Effect.flatMap((chunk) => writeBatch([...chunk])),
      Effect.forever,
      Effect.forkScoped
    )
    yield* Effect.addFinalizer(() =>
      Queue.takeAll(queue).pipe(
        Effect.flatMap((rest) => (rest.length === 0 ? Effect.void : insert([...rest]).pipe(Effect.zipRight(settle([...rest]))))),
        Effect.catchAllCause((cause) => Effect.logError("inbound call logs not written at shutdown; the call runtime writes them when each call ends", cause))
      )
    )

    const add = (call: InboundCall) =>
      Effect.gen(function* () {
        const committed = yield* Deferred.make<void>()
        outstanding.add(committed)
        yield* Queue.offer(queue, { call, committed })
        yield* Deferred.await(committed).pipe(Effect.timeout(WEBHOOK_WAIT), Effect.ignore)
      })

    /** Waits (bounded) until every row queued so far is committed. */
    const flush = Effect.suspend(() => Effect.forEach([...outstanding], (d) => Deferred.await(d), { discard: true })).pipe(
      Effect.timeout(WEBHOOK_WAIT),
      Effect.ignore
    )

    return { add, flush } as const
  })
}) {}
