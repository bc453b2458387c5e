/** What an agent version configures for a call; every field nullable (null = not set). */
export type AgentVersionConfig = {
  readonly agent_name: string | null
  readonly assistant_profile: string | null
  readonly chat_model: string | null
  readonly greeting: string | null
  readonly instructions: string | null
  readonly realtime_model: string | null
  readonly voice: string | null
}

export const AGENT_CONFIG_KEYS = [
  "agent_name",
  "assistant_profile",
  "chat_model",
  "greeting",
  "instructions",
  "realtime_model",
  "voice"
] as const satisfies ReadonlyArray<keyof AgentVersionConfig>

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null)

/** The stored form: all seven keys, unknown keys dropped, empty strings as null. */
export const normalizeAgentConfig = (raw: unknown): AgentVersionConfig => {
  const o = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {}
  return {
    agent_name: str(o.agent_name),
    assistant_profile: str(o.assistant_profile),
    chat_model: str(o.chat_model),
    greeting: str(o.greeting),
    instructions: str(o.instructions),
    realtime_model: str(o.realtime_model),
    voice: str(o.voice)
  }
}

/**
 * The tenant-level defaults a call falls back to. The tenant document names the realtime
 * model `model`; the other keys are spelled as in the agent config.
 */
export const tenantDefaultConfig = (tenant: Readonly<Record<string, unknown>>): AgentVersionConfig => ({
  agent_name: str(tenant.agent_name),
  assistant_profile: str(tenant.assistant_profile),
  chat_model: str(tenant.chat_model),
  greeting: str(tenant.greeting),
  instructions: str(tenant.instructions),
  realtime_model: str(tenant.model) ?? str(tenant.realtime_model),
  voice: str(tenant.voice)
})

/** Field by field: the version's value where set, else the tenant's default. */
export const withDefaults = (config: AgentVersionConfig, defaults: AgentVersionConfig): AgentVersionConfig => {
  const out: Record<keyof AgentVersionConfig, string | null> = { ...config }
  for (const k of AGENT_CONFIG_KEYS) out[k] = config[k] ?? defaults[k]
  return out
}
