import { isE164 } from "./e164.js"

export type TenantConfig = Record<string, unknown>

export const SECRET_PATHS = [
  "auth_token", "twilio.auth_token", "twilio.api_key_secret",
  "webhook_secret", "openai_api_key", "elevenlabs.api_key",
] as const

export const REDACTED = "***"

const SECRETS = SECRET_PATHS.map((p) => ({ parents: p.split(".").slice(0, -1), leaf: p.split(".").pop() ?? p }))

const isObject = (v: unknown): v is TenantConfig => typeof v === "object" && v !== null && !Array.isArray(v)

// Own properties only, so a key like "constructor" never resolves to Object.prototype.
const get = (o: TenantConfig, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined)

// defineProperty keeps a "__proto__" key coming from JSON.parse an ordinary own member
// instead of replacing the copy's prototype.
function setOwn(o: TenantConfig, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true })
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone)
  return isObject(v) ? cloneObject(v) : v
}

function cloneObject(o: TenantConfig): TenantConfig {
  const out: TenantConfig = {}
  for (const k of Object.keys(o)) setOwn(out, k, clone(o[k]))
  return out
}

/** The object holding the secret's leaf, if every step of the path is an object. */
function holderOf(root: TenantConfig, parents: readonly string[]): TenantConfig | undefined {
  let node: unknown = root
  for (const seg of parents) node = isObject(node) ? get(node, seg) : undefined
  return isObject(node) ? node : undefined
}

/** Deep copy with every present, non-null secret replaced by "***". Idempotent. */
export function redactTenantConfig(config: TenantConfig): TenantConfig {
  const out = cloneObject(config)
  for (const { parents, leaf } of SECRETS) {
    const holder = holderOf(out, parents)
    // `!= null`: absent and null secrets stay as they are.
    if (holder !== undefined && get(holder, leaf) != null) setOwn(holder, leaf, REDACTED)
  }
  return out
}

/**
 * Deep copy of `incoming` where each secret equal to "***" takes the stored value (or is
 * removed if none/null is stored): writing back a redacted read never stores the placeholder.
 */
export function restoreRedactedSecrets(incoming: TenantConfig, stored: TenantConfig): TenantConfig {
  const out = cloneObject(incoming)
  for (const { parents, leaf } of SECRETS) {
    const holder = holderOf(out, parents)
    if (holder === undefined || get(holder, leaf) !== REDACTED) continue
    const storedHolder = holderOf(stored, parents)
    const previous = storedHolder && get(storedHolder, leaf)
    if (previous == null) delete holder[leaf]
    else setOwn(holder, leaf, clone(previous))
  }
  return out
}

// RFC 7396 MergePatch; JS `undefined` members in the patch are skipped as JSON would.
function mergeInto(target: unknown, patch: TenantConfig): TenantConfig {
  const out = isObject(target) ? cloneObject(target) : {}
  for (const k of Object.keys(patch)) {
    const v = patch[k]
    if (v === undefined) continue
    if (v === null) delete out[k]
    else setOwn(out, k, isObject(v) ? mergeInto(get(out, k), v) : clone(v))
  }
  return out
}

/** RFC 7396 JSON merge patch plus the "***" rule of restoreRedactedSecrets. Inputs are not mutated. */
export function mergeTenantConfigPatch(stored: TenantConfig, patch: TenantConfig): TenantConfig {
  return restoreRedactedSecrets(mergeInto(stored, patch), stored)
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/
const NULLABLE_STRINGS = [
  "model", "voice", "org_id", "system_prompt_key", "webhook_url",
  "auth_token", "openai_api_key", "greeting", "instructions",
] as const

export function isValidTenantId(id: string): boolean {
  return TENANT_ID.test(id)
}

export type ValidationResult = { ok: true } | { ok: false; error: string }

/** Checks the fields we rely on; unknown fields are allowed. Reports the first problem. */
export function validateTenantConfig(doc: unknown): ValidationResult {
  const error = firstError(doc)
  return error === undefined ? { ok: true } : { ok: false, error }
}

// A present value (JS undefined counts as absent, as in JSON) that fails `valid`.
const bad = (v: unknown, valid: (v: unknown) => boolean): boolean => v !== undefined && !valid(v)
const isPhone = (v: unknown): boolean => typeof v === "string" && isE164(v)
const E164_HINT = "an E.164 phone number like +14155550100"

function firstError(doc: unknown): string | undefined {
  if (!isObject(doc)) return "config must be a JSON object"
  if (bad(get(doc, "tenant_id"), (v) => typeof v === "string" && isValidTenantId(v))) {
    return "tenant_id must be 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit"
  }
  for (const k of NULLABLE_STRINGS) {
    if (bad(get(doc, k), (v) => v === null || typeof v === "string")) return `${k} must be a string or null`
  }
  const webhook = get(doc, "webhook_url")
  if (typeof webhook === "string" && !isHttpUrl(webhook)) return "webhook_url must be an absolute http(s) URL"
  if (bad(get(doc, "audio_output_provider"), (v) => v === "openai" || v === "elevenlabs")) {
    return 'audio_output_provider must be "openai" or "elevenlabs"'
  }
  return twilioError(get(doc, "twilio")) ?? e164ListError(get(doc, "dnc_numbers"), "dnc_numbers")
}

function twilioError(twilio: unknown): string | undefined {
  if (twilio === undefined || twilio === null) return undefined
  if (!isObject(twilio)) return "twilio must be an object or null"
  if (bad(get(twilio, "account_sid"), (v) => typeof v === "string" && ACCOUNT_SID.test(v))) {
    return "twilio.account_sid must look like AC followed by 32 hex characters"
  }
  if (bad(get(twilio, "from_number"), isPhone)) return `twilio.from_number must be ${E164_HINT}`
  return e164ListError(get(twilio, "phone_numbers"), "twilio.phone_numbers")
}

function e164ListError(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) return `${name} must be an array of E.164 phone numbers`
  const i = v.findIndex((n) => !isPhone(n))
  return i === -1 ? undefined : `${name}[${i}] must be ${E164_HINT}`
}

function isHttpUrl(s: string): boolean {
  // new URL() silently strips whitespace and accepts "http:host": store only what we will call.
  if (!/^https?:\/\/[^\s\x00-\x1f\x7f]+$/i.test(s)) return false
  return URL.canParse(s) && new URL(s).hostname !== ""
}
