import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import {
  REDACTED,
  SECRET_PATHS,
  mergeTenantConfigPatch,
  redactTenantConfig,
  restoreRedactedSecrets,
  type TenantConfig,
} from "../../src/domain/tenant-config.js"

const json = fc.jsonValue({ maxDepth: 2 })
const extra = fc.dictionary(fc.string(), json, { maxKeys: 4 })
// Mostly real-looking secrets, sometimes null, the placeholder itself or odd JSON.
const secret = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 4, unit: "binary" }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(REDACTED) },
  { weight: 1, arbitrary: json },
)
// Nested secret holders are sometimes objects, sometimes null or a non-object.
const holder = (...keys: string[]) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.tuple(extra, fc.record(Object.fromEntries(keys.map((k) => [k, secret])), { requiredKeys: [] })) },
    { weight: 1, arbitrary: fc.tuple(fc.constant({}), json) },
  ).map(([base, own]) => (typeof own === "object" && own !== null && !Array.isArray(own) ? { ...base, ...own } : own))

const config: fc.Arbitrary<TenantConfig> = fc
  .tuple(
    extra,
    fc.record(
      {
        auth_token: secret,
        webhook_secret: secret,
        openai_api_key: secret,
        twilio: holder("auth_token", "api_key_secret"),
        elevenlabs: holder("api_key"),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([base, known]) => ({ ...base, ...known }))

function valueAt(doc: unknown, path: string): { present: boolean; value?: unknown } {
  let node: unknown = doc
  for (const seg of path.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, seg)) {
      return { present: false }
    }
    node = (node as Record<string, unknown>)[seg]
  }
  return { present: true, value: node }
}

function holderIn(doc: TenantConfig, path: string): { holder?: Record<string, unknown>; leaf: string } {
  const [first = "", second] = path.split(".")
  if (second === undefined) return { holder: doc, leaf: first }
  const h = valueAt(doc, first).value
  return typeof h === "object" && h !== null && !Array.isArray(h) ? { holder: h as Record<string, unknown>, leaf: second } : { leaf: second }
}

const escaped = (s: string) => JSON.stringify(s).slice(1, -1)

describe("redactTenantConfig", () => {
  test.prop([config])("never leaks a secret string of length >= 4", (doc) => {
    const out = JSON.stringify(redactTenantConfig(doc))
    for (const path of SECRET_PATHS) {
      const { value } = valueAt(doc, path)
      if (typeof value !== "string" || value.length < 4) continue
      // Only a leak if the string is not also sitting in a non-secret field of the input.
      const withoutSecrets = JSON.stringify(doc, (_k, v: unknown) => (v === value ? null : v))
      fc.pre(!withoutSecrets.includes(escaped(value)))
      expect(out).not.toContain(escaped(value))
    }
  })

  test.prop([config])("replaces exactly the present non-null secrets and nothing else", (doc) => {
    const expected = structuredClone(doc)
    for (const path of SECRET_PATHS) {
      const { holder, leaf } = holderIn(expected, path)
      if (holder !== undefined && Object.hasOwn(holder, leaf) && holder[leaf] !== null) holder[leaf] = REDACTED
    }
    const out = redactTenantConfig(doc)
    expect(out).toEqual(expected)
    for (const path of SECRET_PATHS) expect(valueAt(out, path).present).toBe(valueAt(doc, path).present)
  })

  test.prop([config])("is idempotent and does not mutate its input", (doc) => {
    const before = structuredClone(doc)
    const once = redactTenantConfig(doc)
    expect(redactTenantConfig(once)).toEqual(once)
    expect(doc).toEqual(before)
  })

  test("example", () => {
    const doc = { tenant_id: "acme", auth_token: "tok-1234", twilio: { auth_token: "tw-secret", account_sid: "AC1" }, openai_api_key: null }
    expect(redactTenantConfig(doc)).toEqual({ tenant_id: "acme", auth_token: "***", twilio: { auth_token: "***", account_sid: "AC1" }, openai_api_key: null })
  })
})

describe("restoreRedactedSecrets", () => {
  test.prop([config])("restore(redact(x), x) gives back x", (doc) => {
    expect(restoreRedactedSecrets(redactTenantConfig(doc), doc)).toEqual(doc)
  })

  test.prop([config, config])("never stores the placeholder where a real secret exists", (incoming, stored) => {
    const out = restoreRedactedSecrets(redactTenantConfig(incoming), stored)
    for (const path of SECRET_PATHS) {
      const now = valueAt(out, path)
      const old = valueAt(stored, path)
      if (now.value === REDACTED) expect(old.value).toBe(REDACTED)
    }
  })

  test("examples", () => {
    const stored = { auth_token: "real", twilio: { auth_token: "tw" } }
    expect(restoreRedactedSecrets({ auth_token: "***", twilio: { auth_token: "***" }, model: "m" }, stored)).toStrictEqual({ ...stored, model: "m" })
    expect(restoreRedactedSecrets({ auth_token: "new", webhook_secret: "***" }, stored)).toStrictEqual({ auth_token: "new" })
    expect(restoreRedactedSecrets({ elevenlabs: { api_key: "***" } }, { elevenlabs: null })).toStrictEqual({ elevenlabs: {} })
    // Non-secret fields that happen to be "***" are the caller's business.
    expect(restoreRedactedSecrets({ greeting: "***" }, {})).toStrictEqual({ greeting: "***" })
  })
})

// Independent RFC 7396 reference used as an oracle when the patch has no "***".
function mergePatchRef(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch
  const out: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else Object.defineProperty(out, k, { value: mergePatchRef(out[k], v), enumerable: true, writable: true, configurable: true })
  }
  return out
}

describe("mergeTenantConfigPatch", () => {
  const patch: fc.Arbitrary<TenantConfig> = fc.oneof(extra, config)

  test.prop([config])("an empty patch is the identity", (doc) => {
    expect(mergeTenantConfigPatch(doc, {})).toEqual(doc)
  })

  test.prop([config, patch])("applying the same patch twice equals applying it once", (doc, p) => {
    const once = mergeTenantConfigPatch(doc, p)
    expect(mergeTenantConfigPatch(once, p)).toEqual(once)
  })

  test.prop([config, extra])("agrees with RFC 7396 when no placeholder is involved", (doc, p) => {
    fc.pre(!JSON.stringify(p).includes(REDACTED))
    expect(mergeTenantConfigPatch(doc, p)).toEqual(mergePatchRef(doc, p))
  })

  test.prop([config, fc.string()])("null deletes the key", (doc, key) => {
    const out = mergeTenantConfigPatch({ ...doc, [key]: 1 }, { [key]: null })
    expect(Object.hasOwn(out, key)).toBe(false)
  })

  test.prop([config])("patching secrets with *** keeps what was stored", (doc) => {
    const out = mergeTenantConfigPatch(doc, redactTenantConfig(doc))
    for (const path of SECRET_PATHS) {
      const before = valueAt(doc, path)
      // A null secret in the patch deletes it, as RFC 7396 says; everything else survives.
      if (before.value === null) expect(valueAt(out, path).present).toBe(false)
      else expect(valueAt(out, path)).toEqual(before)
    }
  })

  test("RFC 7396 examples and the placeholder rule", () => {
    expect(mergeTenantConfigPatch({ a: "b", c: { d: "e", f: "g" } }, { a: "z", c: { f: null } })).toStrictEqual({ a: "z", c: { d: "e" } })
    expect(mergeTenantConfigPatch({ a: [1, 2] }, { a: [3] })).toStrictEqual({ a: [3] })
    expect(mergeTenantConfigPatch({ a: "x" }, { a: { b: { c: null, d: 1 } } })).toStrictEqual({ a: { b: { d: 1 } } })
    const stored = { twilio: { auth_token: "tw", account_sid: "AC1" }, auth_token: "t" }
    expect(mergeTenantConfigPatch(stored, { twilio: { auth_token: "***", account_sid: "AC2" } })).toStrictEqual({ twilio: { auth_token: "tw", account_sid: "AC2" }, auth_token: "t" })
    expect(mergeTenantConfigPatch(stored, { openai_api_key: "***" })).toStrictEqual(stored)
    expect(mergeTenantConfigPatch(stored, { auth_token: null })).toStrictEqual({ twilio: stored.twilio })
  })

  test("inputs are not mutated and __proto__ stays data", () => {
    const stored = { nested: { a: 1 } }
    const p = JSON.parse('{"nested":{"b":2},"__proto__":{"polluted":true}}') as TenantConfig
    const out = mergeTenantConfigPatch(stored, p)
    expect(stored).toStrictEqual({ nested: { a: 1 } })
    expect(out.nested).toStrictEqual({ a: 1, b: 2 })
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.hasOwn(out, "__proto__")).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
