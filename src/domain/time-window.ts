import type { Parsed } from "./pagination.js"

export const WINDOWS = ["24h", "7d", "30d", "all"] as const
export type TimeWindow = (typeof WINDOWS)[number]
export const BUCKETS = ["hour", "day"] as const
export type Bucket = (typeof BUCKETS)[number]

const HOUR = 3_600_000
const DAY = 24 * HOUR
const SPAN: Record<Exclude<TimeWindow, "all">, number> = { "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY }
/** Beyond this many buckets a series is returned without empty buckets filled in. */
export const MAX_FILLED_BUCKETS = 2000

const isOneOf = <T extends string>(values: ReadonlyArray<T>, v: string): v is T => (values as ReadonlyArray<string>).includes(v)

export function parseWindow(raw: string | undefined, def: TimeWindow): Parsed<TimeWindow> {
  if (raw === undefined || raw === "") return { ok: true, value: def }
  return isOneOf(WINDOWS, raw) ? { ok: true, value: raw } : { ok: false, error: `window must be one of ${WINDOWS.join(", ")}` }
}

/** Hourly buckets for a day, daily buckets for anything longer, unless asked otherwise. */
export function parseBucket(raw: string | undefined, window: TimeWindow): Parsed<Bucket> {
  if (raw === undefined || raw === "") return { ok: true, value: window === "24h" ? "hour" : "day" }
  return isOneOf(BUCKETS, raw) ? { ok: true, value: raw } : { ok: false, error: `bucket must be one of ${BUCKETS.join(", ")}` }
}

/** Start of the window (inclusive) or null for `all`. */
export function windowStart(window: TimeWindow, now: Date): Date | null {
  return window === "all" ? null : new Date(now.getTime() - SPAN[window])
}

/** UTC truncation, the same as SQL `date_trunc(bucket, t, 'UTC')`. */
export function bucketStart(t: Date, bucket: Bucket): Date {
  const size = bucket === "hour" ? HOUR : DAY
  return new Date(Math.floor(t.getTime() / size) * size)
}

/**
 * Every bucket from the one holding `from` to the one holding `to`, so a chart shows gaps as
 * zero instead of joining distant points; empty when the span has more than MAX_FILLED_BUCKETS.
 */
export function bucketRange(from: Date, to: Date, bucket: Bucket): ReadonlyArray<Date> {
  const size = bucket === "hour" ? HOUR : DAY
  const first = bucketStart(from, bucket).getTime()
  const last = bucketStart(to, bucket).getTime()
  if (last < first || (last - first) / size + 1 > MAX_FILLED_BUCKETS) return []
  const out: Array<Date> = []
  for (let t = first; t <= last; t += size) out.push(new Date(t))
  return out
}

/**
 * Merges aggregated rows (keyed by bucket start) into the bucket range; buckets with no row get
 * `empty(start)`. Rows outside the range are kept, in order, when the range was not filled.
 */
export function fillSeries<T>(
  range: ReadonlyArray<Date>,
  rows: ReadonlyArray<{ readonly bucket_start: Date; readonly point: T }>,
  empty: (start: Date) => T
): Array<T> {
  if (range.length === 0) return [...rows].sort((a, b) => a.bucket_start.getTime() - b.bucket_start.getTime()).map((r) => r.point)
  const byStart = new Map(rows.map((r) => [r.bucket_start.getTime(), r.point]))
  return range.map((start) => byStart.get(start.getTime()) ?? empty(start))
}
