import { SqlClient } from "@effect/sql"
import { Data, Effect, Option } from "effect"
import { type CallEvent, type CallState, applyCallEvent, finalFields } from "../src/domain/call-state.js"
import type { CallLog } from "./call-log-views.js"
import type { CallLogPatch } from "./CallLogsRepo.js"
import { CallLogs } from "./CallLogs.js"
import { InboundCallRecords } from "./InboundCallRecords.js"

export interface ProgressReport {
  readonly tenantId: string
  readonly callSid: string
  /** Our call log id, when the callback URL carried it (the call SID may not be stored yet). */
  readonly callLogId?: string | undefined
  readonly source: "status_callback" | "amd" | "make_call" | "incoming_call" | "outbound_call"
  /** Twilio's status as received, for the event log. */
  readonly twilioStatus?: string | undefined
  readonly event: CallEvent
  readonly sequenceNumber?: number | undefined
  readonly payload?: Readonly<Record<string, string>>
  /** What went wrong, for a failed call (kept if the record already says something). */
  readonly errorMessage?: string | undefined
}

class NotYetWritten extends Data.TaggedError("NotYetWritten")<{}> {}

const stateOf = (log: CallLog): CallState => ({
  status: log.status,
  answeredBy: log.answered_by,
  durationSeconds: log.duration_seconds,
  endedAt: log.ended_at ? Date.parse(log.ended_at) : null,
  outcome: log.outcome
})

/** The columns that differ between the record and the state machine's next state. */
const patchFor = (log: CallLog, next: CallState, report: ProgressReport, now: number): CallLogPatch => {
  const patch: { -readonly [K in keyof CallLogPatch]: CallLogPatch[K] } = {}
  if (log.call_sid === null) patch.call_sid = report.callSid
  if (next.status !== log.status) patch.status = next.status
  if (next.answeredBy !== log.answered_by) patch.answered_by = next.answeredBy
  if (next.outcome !== log.outcome) patch.outcome = next.outcome
  const final = finalFields(next, Date.parse(log.started_at), now)
  if (final) {
    const endedAt = new Date(final.endedAt)
    if (log.ended_at === null || Date.parse(log.ended_at) !== final.endedAt) patch.ended_at = endedAt
    if (log.duration_seconds !== final.durationSeconds) patch.duration_seconds = final.durationSeconds
  }
  if (report.errorMessage && !log.error_message) patch.error_message = report.errorMessage
  return patch
}

/**
 * Drives call records through the state machine: every report is kept in `call_events`, then
 * folded into the call log under a per-call advisory lock, so two callbacks racing on one call
 * cannot overwrite each other and nothing ever moves a call backwards.
 */
export class CallProgress extends Effect.Service<CallProgress>()("CallProgress", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const logs = yield* CallLogs
    const inbound = yield* InboundCallRecords

    const find = (r: ProgressReport) =>
      Effect.gen(function* () {
        const byId = r.callLogId ? Option.getOrUndefined(yield* Effect.option(logs.get(r.tenantId, r.callLogId))) : undefined
        // An id that names another call (a stale or copied URL) is ignored.
        if (byId && (byId.call_sid === null || byId.call_sid === r.callSid)) return byId
        return yield* logs.findByCallSid(r.tenantId, r.callSid)
      })

    /** Records the report and advances the call; undefined when no call log matches. */
    const attempt = (r: ProgressReport, lastTry: boolean) =>
      Effect.gen(function* () {
        yield* sql`SELECT pg_advisory_xact_lock(hashtext(${r.tenantId}), hashtext(${r.callSid}))`
        yield* sql`INSERT INTO call_events (tenant_id, call_sid, source, twilio_status, status, answered_by, duration_seconds, sequence_number, payload, occurred_at)
          VALUES (${r.tenantId}, ${r.callSid}, ${r.source}, ${r.twilioStatus ?? null}, ${r.event.status ?? null}, ${r.event.answeredBy ?? null},
                  ${r.event.durationSeconds ?? null}, ${r.sequenceNumber ?? null}, ${JSON.stringify(r.payload ?? {})}::jsonb, ${new Date(r.event.at)})`
        const log = yield* find(r)
        if (!log) return lastTry ? undefined : yield* Effect.fail(new NotYetWritten())
        const patch = patchFor(log, applyCallEvent(stateOf(log), r.event), r, Date.now())
        if (Object.keys(patch).length === 0) return log
        return yield* logs.update(r.tenantId, log.id, patch)
      }).pipe(sql.withTransaction)

    // An inbound call's row may still sit in the write-behind batch: roll back, flush it
    // (outside the transaction: the embedded database has a single writer), try once more.
    const report = (r: ProgressReport): Effect.Effect<CallLog | undefined> =>
      attempt(r, false).pipe(
        Effect.catchIf((e): e is NotYetWritten => e instanceof NotYetWritten, () => inbound.flush.pipe(Effect.zipRight(attempt(r, true)))),
        Effect.orDie,
        Effect.withSpan("CallProgress.report")
      )

    return { report } as const
  }),
  dependencies: [CallLogs.Default, InboundCallRecords.Default]
}) {}


