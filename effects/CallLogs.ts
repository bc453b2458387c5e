import { Effect } from "effect"
import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_STATUSES, type CallLogQuery } from "../src/domain/call-log-query.js"
import { encodeCursor } from "../src/domain/pagination.js"
import { isUuid } from "../src/domain/uuid.js"
import { callerTurns, deriveVoiceOutcome } from "../src/domain/voice-outcome.js"
import { CallAnalytics } from "./CallAnalytics.js"
import { type CallLog, callLogSummaryView, callLogView, type VoiceOutcome, voiceOutcomeView } from "./call-log-views.js"
import { type CallLogPatch, type CallLogRow, CallLogsRepo, type FinalCallLog, type QueuedCall } from "./CallLogsRepo.js"
import { Conflict, NotFound, ValidationFailed } from "./errors.js"
import { FinalCallLogRepo } from "./FinalCallLogRepo.js"
import { onUniqueViolation } from "./sql.js"
import { VoiceOutcomesRepo } from "./VoiceOutcomesRepo.js"

/** What the runtime knows about the call's result beyond the log itself (all optional). */
export interface OutcomeDetails {
  /** A resolution reported by the agent or a tool; see src/domain/voice-outcome.ts. */
  readonly resolution?: string | null
  readonly primary_intent?: string | null
  readonly risk_level?: string | null
  readonly call_type?: string | null
  readonly agent_name?: string | null
  readonly org_id?: string | null
  readonly metadata?: Record<string, unknown>
}

export interface FinalizeInput extends FinalCallLog {
  readonly outcome_details?: OutcomeDetails | undefined
}

const oneOf = (name: string, values: ReadonlyArray<string>, v: string | null | undefined) =>
  v === undefined || v === null || values.includes(v) ? Effect.void : Effect.fail(new ValidationFailed({ message: `${name} must be one of ${values.join(", ")}` }))

const checkPatch = (p: Partial<Pick<CallLogPatch, "status" | "outcome">> & { direction?: string }) =>
  Effect.all([oneOf("status", CALL_STATUSES, p.status), oneOf("outcome", CALL_OUTCOMES, p.outcome), oneOf("direction", CALL_DIRECTIONS, p.direction)], { discard: true })

const notFound = (id: string) => new NotFound({ resource: "call log", id })
const duplicate = () => new Conflict({ message: "a call log with this call_sid or stream_sid already exists" })

/** Call logs of a tenant: written by make-call, status callbacks and the call runtime; read by the API. */
export class CallLogs extends Effect.Service<CallLogs>()("CallLogs", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* CallLogsRepo
    const finals = yield* FinalCallLogRepo
    const outcomes = yield* VoiceOutcomesRepo
    const analytics = yield* CallAnalytics

    /** Written before Twilio is asked, so a crash in between leaves a visible, reconcilable row. */
    const createQueued = (tenantId: string, call: QueuedCall) =>
      checkPatch({ direction: call.direction }).pipe(
        Effect.zipRight(repo.insertQueued(tenantId, call).pipe(onUniqueViolation(duplicate))),
        Effect.map(callLogView)
      )

    const findByCallSid = (tenantId: string, callSid: string) =>
      repo.findByCallSid(tenantId, callSid).pipe(Effect.map((r) => (r ? callLogView(r) : undefined)))

    const findByStreamSid = (tenantId: string, streamSid: string) =>
      repo.findByStreamSid(tenantId, streamSid).pipe(Effect.map((r) => (r ? callLogView(r) : undefined)))

    /** Another tenant's id, a malformed id and an unknown id are all NotFound. */
    const get = (tenantId: string, id: string): Effect.Effect<CallLog, NotFound> =>
      Effect.gen(function* () {
        const row = isUuid(id) ? yield* repo.findById(tenantId, id) : undefined
        if (!row) return yield* Effect.fail(notFound(id))
        return callLogView(row)
      })

    const update = (tenantId: string, id: string, patch: CallLogPatch) =>
      Effect.gen(function* () {
        yield* checkPatch(patch)
        const row = isUuid(id) ? yield* repo.update(tenantId, id, patch).pipe(onUniqueViolation(duplicate)) : undefined
        if (!row) return yield* Effect.fail(notFound(id))
        return callLogView(row)
      })

    /** Derives and stores the call's canonical outcome and its billing event (inside the caller's transaction). */
    const recordOutcome = (tenantId: string, log: CallLogRow, details: OutcomeDetails | undefined) =>
      Effect.gen(function* () {
        const derived = deriveVoiceOutcome({
          status: log.status,
          outcome: log.outcome,
          answered_by: log.answered_by,
          escalated: log.escalated,
          duration_seconds: log.duration_seconds,
          caller_turns: callerTurns(log.transcript),
          resolution_hint: details?.resolution
        })
        const outcome = yield* outcomes.upsert(tenantId, {
          stream_sid: log.stream_sid!,
          call_sid: log.call_sid,
          call_log_id: log.id,
          resolution: derived.resolution,
          disposition: derived.disposition,
          billing_status: derived.billing_status,
          billable_sku: derived.billable_sku,
          outcome_source: "call_finalize",
          primary_intent: details?.primary_intent ?? null,
          risk_level: details?.risk_level ?? null,
          escalated: log.escalated || log.status === "escalated",
          duration_seconds: log.duration_seconds,
          call_type: details?.call_type ?? log.direction,
          agent_name: details?.agent_name ?? null,
          customer_phone: log.direction === "inbound" ? log.from_number : log.to_number,
          org_id: details?.org_id ?? null,
          metadata: details?.metadata ?? {},
          occurred_at: log.ended_at ?? log.updated_at
        })
        yield* outcomes.enqueueBilling(outcome)
        return outcome
      })

    /**
     * The call runtime's last write: the final call log (upserted by call SID, else stream SID),
     * its voice outcome and the outcome's billing outbox row, all in one transaction, so an
     * outcome is never billed without its log nor a log finalized without its outcome.
     */
    const finalize = (tenantId: string, record: FinalizeInput): Effect.Effect<{ callLog: CallLog; outcome: VoiceOutcome }, ValidationFailed> =>
      Effect.gen(function* () {
        yield* checkPatch(record)
        if (record.stream_sid.trim() === "") return yield* Effect.fail(new ValidationFailed({ message: "stream_sid is required to finalize a call" }))
        const { log, outcome } = yield* Effect.gen(function* () {
          const log = yield* finals.upsert(tenantId, record)
          const outcome = yield* recordOutcome(tenantId, log, record.outcome_details)
          return { log, outcome }
        }).pipe(repo.withTransaction, Effect.orDie)
        return { callLog: callLogView(log), outcome: voiceOutcomeView(outcome) }
      })

    /** One page; `next_cursor` is null on the last page whichever way the page was asked for. */
    const list = (tenantId: string, query: CallLogQuery) =>
      repo.list(tenantId, query.filters, query.page).pipe(
        Effect.map((rows) => {
          const page = rows.slice(0, query.page.limit)
          const last = page[page.length - 1]
          const more = rows.length > query.page.limit
          return {
            calls: page.map(callLogSummaryView),
            next_cursor: more && last ? encodeCursor({ t: last.created_at.toISOString(), id: last.id }) : null
          }
        })
      )

    return { createQueued, findByCallSid, findByStreamSid, get, update, finalize, list, stats: analytics.stats, latency: analytics.latency } as const
  }),
  dependencies: [CallLogsRepo.Default, FinalCallLogRepo.Default, VoiceOutcomesRepo.Default, CallAnalytics.Default]
}) {}
