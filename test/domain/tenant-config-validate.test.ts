import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { isValidTenantId, validateTenantConfig } from "../../src/domain/tenant-config.js"

const e164 = fc.stringMatching(/^\+[1-9]\d{7,14}$/)
const tenantId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/)
const sid = fc.stringMatching(/^AC[0-9a-fA-F]{32}$/)
const nullableString = fc.option(fc.string(), { nil: null })
const STRING_FIELDS = [
  "model", "voice", "org_id", "system_prompt_key", "webhook_url",
  "auth_token", "openai_api_key", "greeting", "instructions",
] as const
const KNOWN = new Set<string>([...STRING_FIELDS, "tenant_id", "twilio", "dnc_numbers", "audio_output_provider"])

const validConfig: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.dictionary(fc.string().filter((k) => !KNOWN.has(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    fc.record(
      {
        tenant_id: tenantId,
        ...Object.fromEntries(STRING_FIELDS.map((k) => [k, nullableString])),
        webhook_url: fc.option(fc.webUrl(), { nil: null }),
        twilio: fc.option(
          fc.record(
            { account_sid: sid, from_number: e164, phone_numbers: fc.array(e164, { maxLength: 3 }), auth_token: fc.string() },
            { requiredKeys: [] },
          ),
          { nil: null },
        ),
        dnc_numbers: fc.array(e164, { maxLength: 3 }),
        audio_output_provider: fc.constantFrom("openai", "elevenlabs"),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([extra, known]) => ({ ...extra, ...known }))

const notString = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { minLength: 1, maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }))
const notE164 = fc.oneof(
  notString,
  fc.constantFrom("", "+", "14155550100", "+04155550100", "+1415555", "+1415555010012345", "+1 415 555 0100", "+14155550100\n"),
  fc.string().filter((s) => !/^\+[1-9]\d{7,14}$/.test(s)),
)

// [field path, arbitrary of a bad value for it]; each is placed into an otherwise valid document.
const breakages: Array<[string, fc.Arbitrary<unknown>]> = [
  ["tenant_id", fc.oneof(notString, fc.constant(null), fc.constantFrom("", "-a", "_a", ".a", "a b", "a/b", "x".repeat(129), "é"))],
  ...STRING_FIELDS.map((f): [string, fc.Arbitrary<unknown>] => [f, notString]),
  ["webhook_url", fc.constantFrom("ftp://example.com", "example.com", "/hook", "http:example.com", " https://example.com", "https://exa mple.com", "javascript:alert(1)", "https://", "")],
  ["twilio", fc.oneof(fc.integer(), fc.boolean(), fc.string(), fc.array(fc.integer(), { maxLength: 2 }))],
  ["twilio.account_sid", fc.oneof(notString, fc.constant(null), fc.constantFrom("AC" + "g".repeat(32), "AC" + "0".repeat(31), "ac" + "0".repeat(32), "SK" + "0".repeat(32), "AC" + "0".repeat(33), "AC" + "0".repeat(32) + "\n", " AC" + "0".repeat(32)))],
  ["twilio.from_number", fc.oneof(notE164, fc.constant(null))],
  ["twilio.phone_numbers", fc.oneof(notE164, fc.constant(null))],
  ["dnc_numbers", fc.oneof(notE164, fc.constant(null))],
  ["dnc_numbers", notE164.map((bad) => ["+14155550100", bad])],
  ["audio_output_provider", fc.oneof(notString, fc.constant(null), fc.constantFrom("OpenAI", "eleven", ""))],
]

describe("validateTenantConfig", () => {
  test.prop([validConfig])("accepts every well-formed config, with unknown fields", (doc) => {
    expect(validateTenantConfig(doc)).toEqual({ ok: true })
  })

  for (const [i, [path, bad]] of breakages.entries()) {
    test.prop([validConfig, bad])(`rejects a bad ${path} and names it (case ${i})`, (doc, value) => {
      const [head = "", child] = path.split(".")
      const broken: Record<string, unknown> = { ...doc }
      if (child === undefined) broken[head] = value
      else broken[head] = { ...(typeof doc[head] === "object" ? doc[head] : {}), [child]: value }
      const result = validateTenantConfig(broken)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.startsWith(path)).toBe(true)
    })
  }

  test.prop([fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.array(fc.jsonValue()))])(
    "rejects documents that are not objects",
    (doc) => {
      expect(validateTenantConfig(doc)).toEqual({ ok: false, error: "config must be a JSON object" })
    },
  )

  test("known messages", () => {
    expect(validateTenantConfig({})).toEqual({ ok: true })
    expect(validateTenantConfig({ tenant_id: "acme.prod-1", twilio: null, webhook_url: "https://hooks.example.com/x?y=1" })).toEqual({ ok: true })
    expect(validateTenantConfig({ twilio: { account_sid: "AC123" } })).toEqual({
      ok: false,
      error: "twilio.account_sid must look like AC followed by 32 hex characters",
    })
    expect(validateTenantConfig({ model: 4 })).toEqual({ ok: false, error: "model must be a string or null" })
    expect(validateTenantConfig({ dnc_numbers: ["+14155550100", "555"] })).toEqual({
      ok: false,
      error: "dnc_numbers[1] must be an E.164 phone number like +14155550100",
    })
    expect(validateTenantConfig({ audio_output_provider: "azure" })).toEqual({
      ok: false,
      error: 'audio_output_provider must be "openai" or "elevenlabs"',
    })
  })
})

describe("isValidTenantId", () => {
  // Written without a regex so it is an independent oracle.
  const alnum = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
  const oracle = (s: string) =>
    s.length >= 1 && s.length <= 128 && alnum(s[0] ?? "") && [...s.slice(1)].every((c) => alnum(c) || "_.-".includes(c))

  test.prop([tenantId])("accepts generated ids", (id) => {
    expect(isValidTenantId(id)).toBe(true)
  })

  test.prop([fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("a", "Z", "9", "_", ".", "-", " ", "\n", "/"), maxLength: 140 }))])(
    "agrees with a character-by-character oracle",
    (s) => {
      expect(isValidTenantId(s)).toBe(oracle(s))
    },
  )

  test("boundaries", () => {
    expect(isValidTenantId("a".repeat(128))).toBe(true)
    expect(isValidTenantId("a".repeat(129))).toBe(false)
    expect(isValidTenantId("acme\n")).toBe(false)
    expect(isValidTenantId("")).toBe(false)
  })
})
