import { SqlClient } from "@effect/sql"
import { Effect, Queue, Schedule } from "effect"

export interface InboundCall {
  readonly tenantId: string
  readonly callSid: string
  readonly from: string | null
  readonly to: string | null
  readonly startedAt: Date
}

interface Entry {
  readonly call: InboundCall
  settled: boolean
  /** Callbacks of whoever waits for this row; run once when it commits. */
  readonly waiters: Array<() => void>
}

const MAX_BATCH = 500
// How long the webhook waits for its row before answering Twilio anyway: a caller is never
// left ringing because the database is slow; the row stays queued and is retried.
const WEBHOOK_WAIT_MS = 2000
/**
 * Waits until every entry is committed, or `WEBHOOK_WAIT_MS`, whichever comes first. A plain
 * callback and timer rather than Deferred + Effect.timeout: the timeout races two extra fibers,
 * a measurable share of the webhook's CPU at a few thousand calls per second.
 */
const committedOrTimeout = (entries: ReadonlyArray<Entry>) =>
  Effect.async<void>((resume) => {
    let left = 0
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      resume(Effect.void)
    }
    const one = () => {
      if (--left === 0) finish()
    }
    for (const e of entries) {
      if (e.settled) continue
      left++
      e.waiters.push(one)
    }
    const timer = setTimeout(finish, WEBHOOK_WAIT_MS)
    if (left === 0) finish()
    return Effect.sync(() => {
      done = true
      clearTimeout(timer)
    })
  })

const RETRY = Schedule.exponential("100 millis", 2).pipe(Schedule.either(Schedule.spaced("2 seconds")))

/**
 * Call logs of answered inbound calls, written by group commit: one writer fiber takes every
 * row queued so far and inserts them in one statement, so under load many webhooks share a
 * commit, and when idle a row waits for one insert only. The webhook answers after its row is
 * committed (or after WEBHOOK_WAIT_MS); a failed insert is retried, never dropped, and whatever is
 * still queued at shutdown gets a last attempt. A duplicate webhook keeps the first row.
 */
export class InboundCallRecords extends Effect.Service<InboundCallRecords>()("InboundCallRecords", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const queue = yield* Queue.unbounded<Entry>()
    const outstanding = new Set<Entry>()

    const insert = (batch: ReadonlyArray<Entry>) => {
      const rows = batch.map(({ call: c }) => ({ tenant_id: c.tenantId, call_sid: c.callSid, from_number: c.from, to_number: c.to, started_at: c.startedAt.toISOString() }))
      return sql`INSERT INTO call_logs (tenant_id, call_sid, direction, status, from_number, to_number, started_at)
        SELECT r.tenant_id, r.call_sid, 'inbound', 'in_progress', r.from_number, r.to_number, r.started_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id text, call_sid text, from_number text, to_number text, started_at timestamptz)
        WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = r.tenant_id)
        ON CONFLICT (tenant_id, call_sid) WHERE call_sid IS NOT NULL DO NOTHING`
    }

    const settle = (batch: ReadonlyArray<Entry>) =>
      Effect.sync(() => {
        for (const e of batch) {
          e.settled = true
          outstanding.delete(e)
          for (const wake of e.waiters.splice(0)) wake()
        }
      })

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
      Effect.suspend(() => {
        const entry: Entry = { call, settled: false, waiters: [] }
        outstanding.add(entry)
        return Queue.offer(queue, entry).pipe(Effect.zipRight(committedOrTimeout([entry])))
      })

    /** Waits (bounded) until every row queued so far is committed. */
    const flush = Effect.suspend(() => committedOrTimeout([...outstanding]))

    return { add, flush } as const
  })
}) {}
