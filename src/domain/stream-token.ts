import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * Short-lived media-stream tokens and webhook tenant hints: `<kind>.<base64url JSON>.<base64url
 * HMAC-SHA256>`. The MAC covers the kind too, so a hint can never pass as a stream token.
 * Verification accepts any of the given secrets (current first, then the previous one while
 * a rotation is in progress).
 */

export interface StreamClaims {
  /** Tenant the stream belongs to. */
  readonly tenant_id: string
  /** Call the stream belongs to. */
  readonly call_sid: string
  /** Expiry, seconds since epoch. */
  readonly exp: number
  /** Issued at, seconds since epoch. */
  readonly iat: number
}

export type TokenRejection = "malformed" | "bad_signature" | "expired" | "wrong_call"
export type Verified<A> = { readonly ok: true; readonly claims: A } | { readonly ok: false; readonly reason: TokenRejection }

const STREAM = "st1"
const HINT = "th1"
// Clocks of two instances may disagree a little; a token "from the future" beyond this is forged or broken.
const MAX_SKEW_SECONDS = 60

const mac = (secret: string, signed: string): Buffer => createHmac("sha256", secret).update(signed, "utf8").digest()

const sign = (kind: string, payload: unknown, secret: string): string => {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url")
  const signed = `${kind}.${body}`
  return `${signed}.${mac(secret, signed).toString("base64url")}`
}

/** The payload of a token whose MAC matches one of `secrets`, or why not. */
const open = (kind: string, token: string, secrets: ReadonlyArray<string>): Verified<unknown> => {
  const parts = token.split(".")
  if (parts.length !== 3 || parts[0] !== kind || !parts[1] || !parts[2]) return { ok: false, reason: "malformed" }
  // Compared as canonical text, not decoded bytes: base64 decoding ignores stray characters and
  // the unused low bits of the last one, so several strings would decode to the same MAC.
  const given = Buffer.from(parts[2], "utf8")
  const signed = `${parts[0]}.${parts[1]}`
  const matches = secrets.some((s) => {
    const expected = Buffer.from(mac(s, signed).toString("base64url"), "utf8")
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!matches) return { ok: false, reason: "bad_signature" }
  try {
    return { ok: true, claims: JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown }
  } catch {
    return { ok: false, reason: "malformed" }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

export const signStreamToken = (claims: Omit<StreamClaims, "iat" | "exp">, ttlSeconds: number, nowSeconds: number, secret: string): string =>
  sign(STREAM, { tenant_id: claims.tenant_id, call_sid: claims.call_sid, iat: nowSeconds, exp: nowSeconds + ttlSeconds }, secret)

/** Checks MAC, expiry and — when the caller knows it — that the token was issued for this call. */
export const verifyStreamToken = (
  token: string,
  secrets: ReadonlyArray<string>,
  nowSeconds: number,
  expectedCallSid?: string
): Verified<StreamClaims> => {
  const opened = open(STREAM, token, secrets)
  if (!opened.ok) return opened
  const c = opened.claims
  if (!isRecord(c) || typeof c.tenant_id !== "string" || typeof c.call_sid !== "string" || typeof c.exp !== "number" || typeof c.iat !== "number") {
    return { ok: false, reason: "malformed" }
  }
  if (c.exp <= nowSeconds || c.iat > nowSeconds + MAX_SKEW_SECONDS) return { ok: false, reason: "expired" }
  if (expectedCallSid !== undefined && c.call_sid !== expectedCallSid) return { ok: false, reason: "wrong_call" }
  return { ok: true, claims: { tenant_id: c.tenant_id, call_sid: c.call_sid, exp: c.exp, iat: c.iat } }
}

/**
 * A tenant hint for webhook URLs we hand to Twilio. It does not expire: status callbacks for a
 * call arrive as long as the call lasts. It only says which tenant's auth token to check the
 * Twilio signature with; it authenticates nothing by itself.
 */
export const signTenantHint = (tenantId: string, secret: string): string => sign(HINT, { tenant_id: tenantId }, secret)

export const verifyTenantHint = (token: string, secrets: ReadonlyArray<string>): Verified<{ tenant_id: string }> => {
  const opened = open(HINT, token, secrets)
  if (!opened.ok) return opened
  const c = opened.claims
  return isRecord(c) && typeof c.tenant_id === "string" ? { ok: true, claims: { tenant_id: c.tenant_id } } : { ok: false, reason: "malformed" }
}
