import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { AGENT_CONFIG_KEYS, type AgentVersionConfig, normalizeAgentConfig, tenantDefaultConfig, withDefaults } from "../../src/domain/agent-config.js"

const value = fc.option(fc.string({ minLength: 1 }), { nil: null })
const config = fc.record(Object.fromEntries(AGENT_CONFIG_KEYS.map((k) => [k, value])) as Record<keyof AgentVersionConfig, typeof value>)

describe("normalizeAgentConfig", () => {
  test.prop([fc.dictionary(fc.string(), fc.jsonValue())])("always yields exactly the seven keys, strings or null", (raw) => {
    const c = normalizeAgentConfig(raw)
    expect(Object.keys(c).sort()).toEqual([...AGENT_CONFIG_KEYS].sort())
    for (const k of AGENT_CONFIG_KEYS) expect(c[k] === null || (typeof c[k] === "string" && c[k].length > 0)).toBe(true)
  })

  test.prop([config])("is the identity on a normalized config", (c) => {
    expect(normalizeAgentConfig(c)).toEqual(c)
  })

  test("drops unknown keys, non-strings and empty strings", () => {
    expect(normalizeAgentConfig({ voice: "alloy", greeting: "", instructions: 42, extra: "x" })).toEqual({ ...normalizeAgentConfig({}), voice: "alloy" })
    expect(normalizeAgentConfig(null)).toEqual(normalizeAgentConfig({}))
  })
})

describe("withDefaults", () => {
  test.prop([config, config])("takes each field from the version when set, else from the tenant", (version, tenant) => {
    const merged = withDefaults(version, tenant)
    for (const k of AGENT_CONFIG_KEYS) expect(merged[k]).toBe(version[k] ?? tenant[k])
  })

  test("reads the tenant's realtime model from `model`", () => {
    expect(tenantDefaultConfig({ model: "gpt-realtime", voice: "alloy", greeting: "Hi", instructions: "Be brief", twilio: {} })).toEqual({
      agent_name: null,
      assistant_profile: null,
      chat_model: null,
      greeting: "Hi",
      instructions: "Be brief",
      realtime_model: "gpt-realtime",
      voice: "alloy"
    })
  })
})
