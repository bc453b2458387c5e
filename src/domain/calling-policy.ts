import { normalizeE164 } from "./e164.js"

/**
 * Outbound gates a tenant configures: `dnc_numbers` (E.164 list) and
 * `calling_hours: { timezone, start: "HH:MM", end: "HH:MM", days?: ["mon", …] }`, the window in
 * the tenant's time zone (end exclusive; start > end spans midnight). A malformed window
 * refuses every call rather than calling at 3 a.m.: these gates exist for compliance.
 */

export type GateResult = { readonly ok: true } | { readonly ok: false; readonly reason: "dnc" | "calling_hours" | "calling_hours_invalid"; readonly message: string }

const PASS: GateResult = { ok: true }
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/

export const onDncList = (dncNumbers: unknown, to: string): boolean => {
  if (!Array.isArray(dncNumbers)) return false
  const target = normalizeE164(to) ?? to
  return dncNumbers.some((n) => typeof n === "string" && (normalizeE164(n) ?? n) === target)
}

const minutesOf = (hhmm: string): number | undefined => {
  const m = HHMM.exec(hhmm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined
}

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** Weekday and minute of day of `at` in `timeZone`. */
export const localClock = (at: Date, timeZone: string): { day: (typeof DAYS)[number]; minute: number } => {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ""
  const day = get("weekday").toLowerCase().slice(0, 3) as (typeof DAYS)[number]
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) }
}

const invalid = (why: string): GateResult => ({ ok: false, reason: "calling_hours_invalid", message: `tenant calling_hours is invalid (${why}); outbound calls are refused until it is fixed` })

export const withinCallingHours = (callingHours: unknown, fallbackTimeZone: unknown, at: Date): GateResult => {
  if (callingHours === undefined || callingHours === null) return PASS
  if (typeof callingHours !== "object" || Array.isArray(callingHours)) return invalid("must be an object")
  const ch = callingHours as Record<string, unknown>
  const tz = typeof ch.timezone === "string" ? ch.timezone : typeof fallbackTimeZone === "string" ? fallbackTimeZone : "UTC"
  if (!isTimeZone(tz)) return invalid(`unknown time zone ${tz}`)
  const start = typeof ch.start === "string" ? minutesOf(ch.start) : undefined
  const end = typeof ch.end === "string" ? minutesOf(ch.end) : undefined
  if (start === undefined || end === undefined) return invalid('start and end must be "HH:MM"')
  const days = ch.days === undefined ? DAYS : ch.days
  if (!Array.isArray(days) || !days.every((d) => typeof d === "string" && (DAYS as ReadonlyArray<string>).includes(d.toLowerCase().slice(0, 3)))) {
    return invalid("days must be a list of weekday names")
  }
  const allowed = new Set(days.map((d) => String(d).toLowerCase().slice(0, 3)))
  const { day, minute } = localClock(at, tz)
  // A window spanning midnight belongs to the day it starts on.
  const previousDay = DAYS[(DAYS.indexOf(day) + 6) % 7]!
  const inWindow =
    start === end
      ? allowed.has(day)
      : start < end
        ? allowed.has(day) && minute >= start && minute < end
        : (allowed.has(day) && minute >= start) || (allowed.has(previousDay) && minute < end)
  return inWindow
    ? PASS
    : { ok: false, reason: "calling_hours", message: `outside the tenant's calling hours (${String(ch.start)}-${String(ch.end)} ${tz}${ch.days ? `, ${allowed.size} days a week` : ""})` }
}

/** Both gates in order: do-not-call first (it never opens), then the time window. */
export const outboundGate = (config: Record<string, unknown>, to: string, at: Date): GateResult => {
  if (onDncList(config.dnc_numbers, to)) return { ok: false, reason: "dnc", message: `${to} is on the tenant's do-not-call list` }
  return withinCallingHours(config.calling_hours, config.timezone, at)
}
