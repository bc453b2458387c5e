export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

// Canonical decimal only: no sign, exponent, whitespace, hex, or leading zeros, so
// "010" or " 5" cannot mean something different to a proxy, a cache key and us.
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/

function parseBoundedInt(raw: unknown, name: string, min: number, max: number, def: number): Parsed<number> {
  if (raw === undefined || raw === null || raw === "") return { ok: true, value: def }
  let n: number | undefined
  if (typeof raw === "number") n = raw
  else if (typeof raw === "string" && DECIMAL.test(raw)) n = Number(raw)
  if (n === undefined || !Number.isSafeInteger(n) || n < min || n > max) {
    return { ok: false, error: `${name} must be an integer between ${min} and ${max}` }
  }
  // `+ 0` turns -0 into 0 so it never leaks into SQL or JSON as "-0".
  return { ok: true, value: n + 0 }
}

/** Page size: integer 1..max; undefined, null or "" give `def`. Never throws. */
export function parseLimit(raw: unknown, opts: { def: number; max: number }): Parsed<number> {
  return parseBoundedInt(raw, "limit", 1, opts.max, opts.def)
}

/** Row offset: integer 0..max (default max 1,000,000); undefined, null or "" give 0. */
export function parseOffset(raw: unknown, opts: { max?: number } = {}): Parsed<number> {
  return parseBoundedInt(raw, "offset", 0, opts.max ?? 1_000_000, 0)
}

export type CursorKey = { t: string; id: string }

const MAX_CURSOR_LENGTH = 512
const BASE64URL = /^[A-Za-z0-9_-]+$/
// Exactly Date#toISOString output for years 0000-9999, always UTC with milliseconds.
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

function isValidTimestamp(t: string): boolean {
  if (!ISO_MS.test(t)) return false
  const d = new Date(t)
  // Round-tripping rejects impossible dates such as 2024-02-30 that Date would roll over.
  return !Number.isNaN(d.getTime()) && d.toISOString() === t
}

function isCursorKey(v: unknown): v is CursorKey {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false
  const keys = Object.keys(v)
  if (keys.length !== 2 || !keys.includes("t") || !keys.includes("id")) return false
  const { t, id } = v as Record<string, unknown>
  return typeof t === "string" && typeof id === "string" && isValidTimestamp(t) && UUID.test(id)
}

/**
 * Opaque keyset cursor: base64url (no padding) of `{"t":...,"id":...}`. Throws
 * RangeError on an invalid key because a cursor we could not decode again would
 * break the next page silently; that is a programming error, not bad user input.
 */
export function encodeCursor(key: CursorKey): string {
  const plain = { t: key.t, id: key.id }
  if (!isCursorKey(plain)) throw new RangeError("encodeCursor: t must be an ISO timestamp with ms, id a UUID")
  return Buffer.from(JSON.stringify(plain), "utf8").toString("base64url")
}

const INVALID: Parsed<CursorKey> = { ok: false, error: "cursor is invalid" }

/** Accepts exactly the strings encodeCursor produces; everything else is ok:false. Never throws. */
export function decodeCursor(raw: string): Parsed<CursorKey> {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_CURSOR_LENGTH) return INVALID
  if (!BASE64URL.test(raw)) return INVALID
  let parsed: unknown
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(raw, "base64url"))
    parsed = JSON.parse(text)
  } catch {
    return INVALID
  }
  if (!isCursorKey(parsed)) return INVALID
  const value = { t: parsed.t, id: parsed.id }
  // Re-encoding rejects every non-canonical spelling (whitespace, key order, escapes,
  // stray base64 bits) so a cursor has exactly one valid form.
  if (encodeCursor(value) !== raw) return INVALID
  return { ok: true, value }
}
