import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { CallLogs, type FinalizeInput } from "../../effects/CallLogs.js"
import type { TestApp } from "./app.js"

let seq = 0
/** A unique suffix for SIDs within a test process. */
export const nextSid = (prefix: string) => `${prefix}${process.pid}x${(seq++).toString(36)}`

const at = (d: Date) => d.toISOString()

/** A plausible finished call; `over` replaces any field. */
export const finalCall = (over: Partial<FinalizeInput> = {}): FinalizeInput => {
  const ended = over.ended_at ?? new Date()
  const started = over.started_at ?? new Date(ended.getTime() - 90_000)
  return {
    call_sid: nextSid("CA"),
    stream_sid: nextSid("MZ"),
    direction: "inbound",
    status: "completed",
    outcome: "answered",
    from_number: "+15550000001",
    to_number: "+15559990000",
    started_at: started,
    ended_at: ended,
    duration_seconds: Math.round((ended.getTime() - started.getTime()) / 1000),
    escalated: false,
    transcript: [
      { role: "assistant", content: "Thanks for calling, how can I help?", timestamp: at(started) },
      { role: "user", content: "I have a question about my order.", timestamp: at(new Date(started.getTime() + 3000)) }
    ],
    function_calls: [],
    ...over
  }
}

export const finalize = (t: TestApp, tenantId: string, over: Partial<FinalizeInput> = {}) => t.app.runtime.runPromise(CallLogs.finalize(tenantId, finalCall(over)))

/** Several finalizations in one transaction: they share `now()`, so their created_at ties. */
export const finalizeTogether = (t: TestApp, tenantId: string, calls: ReadonlyArray<Partial<FinalizeInput>>) =>
  t.app.runtime.runPromise(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.forEach(calls, (c) => CallLogs.finalize(tenantId, finalCall(c)), { concurrency: 1 }).pipe(sql.withTransaction, Effect.orDie)
    )
  )

/** Reference order straight from SQL, independent of the list code path. */
export const idsInListOrder = (t: TestApp, tenantId: string, direction?: "inbound" | "outbound") =>
  t.app.runtime
    .runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql<{ id: string }>`SELECT id FROM call_logs WHERE tenant_id = ${tenantId} AND (${direction ?? null}::text IS NULL OR direction = ${direction ?? null})
          ORDER BY created_at DESC, id DESC`.pipe(Effect.orDie)
      )
    )
    .then((rows) => rows.map((r) => r.id))
