import { normalizeScore } from "./eval-score.js"
import { parseIsoInstant } from "./iso-instant.js"
import { type Parsed, parseLimit, parseOffset } from "./pagination.js"
import { BILLING_STATUSES, RESOLUTIONS } from "./voice-outcome.js"

/** Query parsing of the voice-session, voice-outcome and evaluation lists (offset pages). */

export const RECORD_PAGE = { def: 50, max: 200 } as const
export const MAX_SEARCH_LENGTH = 200
export const SESSION_STATUSES = ["active", "completed", "transferred", "failed"] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== ""
const isOneOf = <T extends string>(values: ReadonlyArray<T>, v: string): v is T => (values as ReadonlyArray<string>).includes(v)
const enumError = (name: string, values: ReadonlyArray<string>) => `${name} must be one of ${values.join(", ")}`

export interface OffsetPage {
  readonly limit: number
  readonly offset: number
}

const offsetPage = (q: { readonly limit?: number | undefined; readonly offset?: number | undefined }): Parsed<OffsetPage> => {
  const limit = parseLimit(q.limit, RECORD_PAGE)
  if (!limit.ok) return limit
  const offset = parseOffset(q.offset)
  return offset.ok ? { ok: true, value: { limit: limit.value, offset: offset.value } } : offset
}

export interface SessionQuery {
  readonly status?: SessionStatus
  /** Words/phrase of agent name, summary or transcript; or, when it looks like a phone number, its digits. */
  readonly search?: { readonly kind: "text"; readonly text: string } | { readonly kind: "phone"; readonly digits: string }
  readonly startedAfter?: Date
  readonly sort: "asc" | "desc"
  readonly page: OffsetPage
}

const PHONE_LIKE = /^\+?[0-9 ().-]{3,}$/

export function parseSessionQuery(q: {
  readonly status?: string | undefined
  readonly search?: string | undefined
  readonly started_after?: string | undefined
  readonly sort?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}): Parsed<SessionQuery> {
  const out: Mutable<Partial<SessionQuery>> = {}
  if (given(q.status)) {
    const s = q.status.trim()
    if (!isOneOf(SESSION_STATUSES, s)) return { ok: false, error: enumError("status", SESSION_STATUSES) }
    out.status = s
  }
  if (given(q.search)) {
    const s = q.search.trim()
    if (s.length > MAX_SEARCH_LENGTH) return { ok: false, error: `search must be at most ${MAX_SEARCH_LENGTH} characters` }
    const digits = s.replace(/[^0-9]/g, "")
    out.search = PHONE_LIKE.test(s) && digits.length >= 3 ? { kind: "phone", digits } : { kind: "text", text: s }
  }
  if (given(q.started_after)) {
    const r = parseIsoInstant(q.started_after, "started_after")
    if (!r.ok) return r
    out.startedAfter = r.value
  }
  const sort = given(q.sort) ? q.sort.trim().toLowerCase() : "desc"
  if (sort !== "asc" && sort !== "desc") return { ok: false, error: "sort must be asc or desc" }
  const page = offsetPage(q)
  if (!page.ok) return page
  return { ok: true, value: { ...out, sort, page: page.value } }
}

export interface OutcomeQuery {
  readonly resolution?: string
  readonly billingStatus?: string
  readonly billableSku?: string
  readonly callType?: string
  readonly page: OffsetPage
}

export function parseOutcomeQuery(q: {
  readonly resolution?: string | undefined
  readonly billing_status?: string | undefined
  readonly billable_sku?: string | undefined
  readonly call_type?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}): Parsed<OutcomeQuery> {
  const out: Mutable<Partial<OutcomeQuery>> = {}
  if (given(q.resolution)) {
    if (!isOneOf(RESOLUTIONS, q.resolution.trim())) return { ok: false, error: enumError("resolution", RESOLUTIONS) }
    out.resolution = q.resolution.trim()
  }
  if (given(q.billing_status)) {
    if (!isOneOf(BILLING_STATUSES, q.billing_status.trim())) return { ok: false, error: enumError("billing_status", BILLING_STATUSES) }
    out.billingStatus = q.billing_status.trim()
  }
  if (given(q.billable_sku)) out.billableSku = q.billable_sku.trim()
  if (given(q.call_type)) out.callType = q.call_type.trim()
  const page = offsetPage(q)
  return page.ok ? { ok: true, value: { ...out, page: page.value } } : page
}

export interface EvalQuery {
  readonly minScore?: number
  readonly maxScore?: number
  readonly tag?: string
  readonly page: OffsetPage
}

export function parseEvalQuery(q: {
  readonly min_score?: number | undefined
  readonly max_score?: number | undefined
  readonly tag?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}): Parsed<EvalQuery> {
  const out: Mutable<Partial<EvalQuery>> = {}
  if (q.min_score !== undefined) {
    const r = normalizeScore(q.min_score, "min_score")
    if (!r.ok) return r
    out.minScore = r.value
  }
  if (q.max_score !== undefined) {
    const r = normalizeScore(q.max_score, "max_score")
    if (!r.ok) return r
    out.maxScore = r.value
  }
  if (out.minScore !== undefined && out.maxScore !== undefined && out.minScore > out.maxScore) {
    return { ok: false, error: "min_score must not exceed max_score" }
  }
  if (given(q.tag)) out.tag = q.tag.trim()
  const page = offsetPage(q)
  return page.ok ? { ok: true, value: { ...out, page: page.value } } : page
}
