/**
 * The call state machine. A call's record is a join over everything we have heard about it:
 * every field only moves "forward" under a fixed order, so applying callbacks late, twice or
 * out of order always lands on the same record (the merge is commutative, associative and
 * idempotent). Twilio's spellings are translated on the way in (CONTRACT-NOTES decision 7).
 */

import { type AnsweredBy, type CallOutcome, type CallStatus, normalizeAnsweredBy } from "./call-log-query.js"

export { ANSWERED_BY, CALL_OUTCOMES, CALL_STATUSES, type AnsweredBy, type CallOutcome, type CallStatus } from "./call-log-query.js"

/**
 * Progress order. Every final status outranks every live one; among final statuses the one
 * that says more about what the caller experienced wins (a transfer to a human beats the
 * carrier's "completed", a conversation beats a busy signal), which also makes the result
 * independent of arrival order when the sources disagree.
 */
const RANK: Record<CallStatus, number> = {
  queued: 0,
  in_progress: 1,
  canceled: 2,
  failed: 3,
  no_answer: 4,
  busy: 5,
  completed: 6,
  escalated: 7
}

export const statusRank = (s: CallStatus): number => RANK[s]
export const isFinalStatus = (s: CallStatus): boolean => RANK[s] >= RANK.canceled
export const furthestStatus = (a: CallStatus, b: CallStatus): CallStatus => (RANK[b] > RANK[a] ? b : a)

/**
 * Twilio `CallStatus` (and `StatusCallbackEvent`) → ours. Ringing has no contract status:
 * a ringing call is still `queued` from the API's point of view. Unknown values → undefined.
 */
export const callStatusFromTwilio = (raw: string | undefined): CallStatus | undefined => {
  switch (raw?.trim().toLowerCase().replace(/_/g, "-")) {
    case "queued":
    case "initiated":
    case "ringing":
      return "queued"
    case "in-progress":
    case "answered":
      return "in_progress"
    case "completed":
      return "completed"
    case "busy":
      return "busy"
    case "no-answer":
      return "no_answer"
    case "failed":
      return "failed"
    case "canceled":
    case "cancelled":
      return "canceled"
    default:
      return undefined
  }
}

/** Twilio `AnsweredBy` → ours; any value we do not know is `unknown`, absence is undefined. */
export const answeredByFromTwilio = (raw: string | undefined): AnsweredBy | undefined => {
  const v = raw?.trim().toLowerCase()
  return v ? (normalizeAnsweredBy(v) ?? undefined) : undefined
}

// A later AMD verdict refines an earlier one: DetectMessageEnd reports machine_start, then the end kind.
const answeredRank = (a: AnsweredBy): number => (a === "unknown" ? 0 : a.startsWith("machine_end_") ? 2 : 1)

export const mergeAnsweredBy = (a: AnsweredBy | null, b: AnsweredBy | null): AnsweredBy | null => {
  if (a === null) return b
  if (b === null) return a
  const ra = answeredRank(a)
  const rb = answeredRank(b)
  if (ra !== rb) return rb > ra ? b : a
  return b > a ? b : a
}

/**
 * Status + answering-machine verdict → analytics outcome. Total: live calls have none.
 * A call we cancelled before it was answered never reached anyone, so it counts as no answer;
 * a fax machine cannot hold a conversation, so it counts as failed.
 */
export const outcomeOf = (status: CallStatus, answeredBy: AnsweredBy | null): CallOutcome | null => {
  switch (status) {
    case "queued":
    case "in_progress":
      return null
    case "busy":
      return "busy"
    case "no_answer":
    case "canceled":
      return "no_answer"
    case "failed":
      return "failed"
    case "completed":
    case "escalated":
      if (answeredBy === "fax") return "failed"
      return answeredBy !== null && answeredBy.startsWith("machine_") ? "voicemail" : "answered"
  }
}

/** What one callback (or our own action) says about a call. */
export interface CallEvent {
  readonly status?: CallStatus | undefined
  readonly answeredBy?: AnsweredBy | undefined
  /** Twilio's `CallDuration` (seconds), on completion. */
  readonly durationSeconds?: number | undefined
  /** When it happened (Twilio's `Timestamp` when present), ms since epoch. */
  readonly at: number
}

export interface CallState {
  readonly status: CallStatus
  readonly answeredBy: AnsweredBy | null
  readonly durationSeconds: number | null
  /** ms since epoch; set once the call is final. */
  readonly endedAt: number | null
  readonly outcome: CallOutcome | null
}

export const initialCallState = (status: CallStatus = "queued"): CallState => ({
  status,
  answeredBy: null,
  durationSeconds: null,
  endedAt: null,
  outcome: null
})

const maxOrNull = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))
const minOrNull = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))

/**
 * Folds one event into the state. The end time is the earliest final event's time; the
 * duration the longest reported (a duplicate "completed" cannot shorten a call).
 */
export const applyCallEvent = (state: CallState, event: CallEvent): CallState => {
  const status = event.status ? furthestStatus(state.status, event.status) : state.status
  const answeredBy = mergeAnsweredBy(state.answeredBy, event.answeredBy ?? null)
  const reportedDuration = event.durationSeconds !== undefined && Number.isFinite(event.durationSeconds) && event.durationSeconds >= 0 ? Math.floor(event.durationSeconds) : null
  const endedAt = event.status && isFinalStatus(event.status) ? minOrNull(state.endedAt, event.at) : state.endedAt
  return {
    status,
    answeredBy,
    durationSeconds: maxOrNull(state.durationSeconds, reportedDuration),
    endedAt,
    outcome: outcomeOf(status, answeredBy)
  }
}

export const foldCallEvents = (events: ReadonlyArray<CallEvent>, from: CallState = initialCallState()): CallState =>
  events.reduce(applyCallEvent, from)

/**
 * What a final record shows: an end time (the given clock when no final event carried one,
 * e.g. our own `escalated`), and a duration — Twilio's, else the wall time since the call
 * started for answered calls, else 0 for calls that never connected.
 */
export const finalFields = (state: CallState, startedAt: number, now: number): { endedAt: number; durationSeconds: number } | null => {
  if (!isFinalStatus(state.status)) return null
  const endedAt = state.endedAt ?? now
  const connected = state.status === "completed" || state.status === "escalated"
  const durationSeconds = state.durationSeconds ?? (connected ? Math.max(0, Math.round((endedAt - startedAt) / 1000)) : 0)
  return { endedAt, durationSeconds }
}
