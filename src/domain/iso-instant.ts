import type { Parsed } from "./pagination.js"

// RFC 3339 date-time (offset required) or a bare calendar date meaning midnight UTC.
// Local times without an offset are refused: they would mean a different instant per server.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** Parses an ISO 8601 / RFC 3339 instant strictly; impossible dates (Feb 30, 25:00) are errors. */
export function parseIsoInstant(raw: string, name: string): Parsed<Date> {
  const bad: Parsed<Date> = { ok: false, error: `${name} must be an ISO 8601 date-time with offset (2024-01-15T10:30:00Z) or a date (2024-01-15)` }
  const s = raw.trim()
  const d = DATE_ONLY.exec(s)
  const m = d ? undefined : DATE_TIME.exec(s)
  const parts = d ?? m
  if (!parts) return bad
  const year = Number(parts[1])
  const month = Number(parts[2])
  const day = Number(parts[3])
  // Date.UTC reads years 0-99 as 1900-1999; no call record predates year 1000 anyway.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return bad
  if (!m) return { ok: true, value: new Date(Date.UTC(year, month - 1, day)) }
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = m[6] === undefined ? 0 : Number(m[6])
  if (hour > 23 || minute > 59 || second > 59) return bad
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  let offsetMinutes = 0
  const zone = m[8]!
  if (zone !== "Z" && zone !== "z") {
    const oh = Number(zone.slice(1, 3))
    const om = Number(zone.slice(4, 6))
    if (oh > 23 || om > 59) return bad
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om)
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000
  return Number.isFinite(t) ? { ok: true, value: new Date(t) } : bad
}
