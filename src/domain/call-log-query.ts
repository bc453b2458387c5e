import { normalizeE164 } from "./e164.js"
import { parseIsoInstant } from "./iso-instant.js"
import { type CursorKey, decodeCursor, type Parsed, parseLimit, parseOffset } from "./pagination.js"

export const CALL_STATUSES = ["queued", "in_progress", "completed", "failed", "escalated", "busy", "no_answer", "canceled"] as const
export type CallStatus = (typeof CALL_STATUSES)[number]
export const CALL_OUTCOMES = ["answered", "voicemail", "no_answer", "busy", "failed"] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]
export const ANSWERED_BY = ["human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax", "unknown"] as const
export type AnsweredBy = (typeof ANSWERED_BY)[number]
/** Twilio may add detection results; anything we do not know reads as "unknown". */
const isAnsweredBy = (v: string): v is AnsweredBy => (ANSWERED_BY as ReadonlyArray<string>).includes(v)
export const normalizeAnsweredBy = (v: string | null): AnsweredBy | null => (v === null ? null : isAnsweredBy(v) ? v : "unknown")
export const CALL_DIRECTIONS = ["inbound", "outbound"] as const
export type CallDirection = (typeof CALL_DIRECTIONS)[number]

export const CALL_LOG_PAGE = { def: 50, max: 100 } as const
export const MAX_SEARCH_LENGTH = 200

/** The list's query string as the REST bridge delivers it (numbers and booleans already typed). */
export interface CallLogQueryInput {
  readonly status?: string | undefined
  readonly outcome?: string | undefined
  readonly from_number?: string | undefined
  readonly to_number?: string | undefined
  readonly direction?: string | undefined
  readonly escalated?: boolean | undefined
  readonly from_date?: string | undefined
  readonly to_date?: string | undefined
  readonly min_duration?: number | undefined
  readonly max_duration?: number | undefined
  readonly transcript_search?: string | undefined
  readonly call_sid?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly cursor?: string | undefined
}

export interface CallLogFilters {
  readonly status?: CallStatus
  readonly outcome?: CallOutcome
  readonly direction?: CallDirection
  readonly fromNumber?: string
  readonly toNumber?: string
  readonly escalated?: boolean
  /** started_at >= fromDate */
  readonly fromDate?: Date
  /** started_at < toDate */
  readonly toDate?: Date
  readonly minDuration?: number
  readonly maxDuration?: number
  readonly transcriptSearch?: string
  readonly callSid?: string
}

/** Keyset (cursor) wins over offset; offset is the legacy path. */
export type PageRequest =
  | { readonly kind: "cursor"; readonly limit: number; readonly after: CursorKey }
  | { readonly kind: "offset"; readonly limit: number; readonly offset: number }

export interface CallLogQuery {
  readonly filters: CallLogFilters
  readonly page: PageRequest
}

const isOneOf = <T extends string>(values: ReadonlyArray<T>, v: string): v is T => (values as ReadonlyArray<string>).includes(v)

const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== ""

/**
 * A `+` in an unencoded query string arrives as a space ("?from_number=+1555…" → " 1555…"),
 * so a leading space before digits is read as the `+` the caller typed.
 */
export function normalizePhoneFilter(raw: string): string {
  const restored = /^ [0-9]/.test(raw) ? `+${raw.slice(1)}` : raw
  return normalizeE164(restored) ?? restored.trim()
}

const enumOf = <T extends string>(name: string, values: ReadonlyArray<T>, raw: string): Parsed<T> => {
  const v = raw.trim()
  return isOneOf(values, v) ? { ok: true, value: v } : { ok: false, error: `${name} must be one of ${values.join(", ")}` }
}

const duration = (name: string, v: number): Parsed<number> =>
  Number.isSafeInteger(v) && v >= 0 ? { ok: true, value: v } : { ok: false, error: `${name} must be a non-negative integer (seconds)` }

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Validates every filter; the first problem is reported (400), nothing here ever throws. */
export function parseCallLogQuery(q: CallLogQueryInput): Parsed<CallLogQuery> {
  const f: Mutable<CallLogFilters> = {}
  const fail = (error: string): Parsed<CallLogQuery> => ({ ok: false, error })
  if (given(q.status)) {
    const r = enumOf("status", CALL_STATUSES, q.status)
    if (!r.ok) return r
    f.status = r.value
  }
  if (given(q.outcome)) {
    const r = enumOf("outcome", CALL_OUTCOMES, q.outcome)
    if (!r.ok) return r
    f.outcome = r.value
  }
  if (given(q.direction)) {
    const r = enumOf("direction", CALL_DIRECTIONS, q.direction)
    if (!r.ok) return r
    f.direction = r.value
  }
  if (given(q.from_number)) f.fromNumber = normalizePhoneFilter(q.from_number)
  if (given(q.to_number)) f.toNumber = normalizePhoneFilter(q.to_number)
  if (q.escalated !== undefined) f.escalated = q.escalated
  if (given(q.from_date)) {
    const r = parseIsoInstant(q.from_date, "from_date")
    if (!r.ok) return r
    f.fromDate = r.value
  }
  if (given(q.to_date)) {
    const r = parseIsoInstant(q.to_date, "to_date")
    if (!r.ok) return r
    f.toDate = r.value
  }
  if (f.fromDate && f.toDate && f.fromDate > f.toDate) return fail("from_date must not be after to_date")
  if (q.min_duration !== undefined) {
    const r = duration("min_duration", q.min_duration)
    if (!r.ok) return r
    f.minDuration = r.value
  }
  if (q.max_duration !== undefined) {
    const r = duration("max_duration", q.max_duration)
    if (!r.ok) return r
    f.maxDuration = r.value
  }
  if (f.minDuration !== undefined && f.maxDuration !== undefined && f.minDuration > f.maxDuration) {
    return fail("min_duration must not exceed max_duration")
  }
  if (given(q.transcript_search)) {
    const s = q.transcript_search.trim()
    if (s.length > MAX_SEARCH_LENGTH) return fail(`transcript_search must be at most ${MAX_SEARCH_LENGTH} characters`)
    f.transcriptSearch = s
  }
  if (given(q.call_sid)) f.callSid = q.call_sid.trim()
  const page = parsePage(q, CALL_LOG_PAGE)
  return page.ok ? { ok: true, value: { filters: f, page: page.value } } : page
}

/** limit / offset / cursor shared by the keyset lists. */
export function parsePage(q: { readonly limit?: number | undefined; readonly offset?: number | undefined; readonly cursor?: string | undefined }, opts: { def: number; max: number }): Parsed<PageRequest> {
  const limit = parseLimit(q.limit, opts)
  if (!limit.ok) return limit
  if (q.cursor !== undefined && q.cursor !== "") {
    const key = decodeCursor(q.cursor)
    return key.ok ? { ok: true, value: { kind: "cursor", limit: limit.value, after: key.value } } : key
  }
  const offset = parseOffset(q.offset)
  return offset.ok ? { ok: true, value: { kind: "offset", limit: limit.value, offset: offset.value } } : offset
}

/** Slow-call samples of the latency endpoint: integer 1..50, default 10. */
export function parseSamples(raw: number | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: 10 }
  return Number.isSafeInteger(raw) && raw >= 1 && raw <= 50 ? { ok: true, value: raw } : { ok: false, error: "samples must be an integer between 1 and 50" }
}
