import { z } from "zod"

/** ISO-8601 instants as the services render them (`Date.toISOString()`). */
export const timestamp = () => z.string().datetime({ offset: true })
const nullableText = (description: string) => z.string().max(100_000).nullable().optional().describe(description)

// Loose so input and output render as one component (a strict object would split into an
// "...Output" twin the contract does not have); unknown keys are dropped when stored.
export const AgentVersionConfig = z
  .looseObject({
    agent_name: nullableText("Name the agent introduces itself with"),
    assistant_profile: nullableText("Assistant profile / persona key"),
    chat_model: nullableText("Text model for non-realtime steps"),
    greeting: nullableText("Opening line of a call"),
    instructions: nullableText("System instructions for the realtime model"),
    realtime_model: nullableText("Realtime speech model"),
    voice: nullableText("Voice of generated speech")
  })
  .meta({ id: "AgentVersionConfig", description: "What an agent version configures for a call; unset fields fall back to the tenant's defaults at call time." })

export const AgentVersionStatus = z
  .enum(["draft", "published"])
  .meta({ id: "AgentVersionStatus", description: "`published` marks the agent's single live version; every other version is `draft`." })

export const Agent = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    agent_key: z.string().describe("Stable key, unique per tenant, used by make-call and routes"),
    name: z.string(),
    description: z.string().nullable().optional(),
    created_at: timestamp(),
    updated_at: timestamp()
  })
  .meta({ id: "Agent" })

export const AgentVersion = z
  .object({
    id: z.uuid(),
    agent_id: z.uuid(),
    tenant_id: z.string(),
    agent_key: z.string(),
    agent_name: z.string().describe("The agent's name"),
    version_number: z.number().int().describe("1, 2, 3 … per agent, without gaps"),
    status: AgentVersionStatus,
    config: AgentVersionConfig,
    created_at: timestamp(),
    updated_at: timestamp(),
    published_at: timestamp().nullable().optional().describe("When the version last became the published one; kept after it is superseded")
  })
  .meta({ id: "AgentVersion" })

export const CreateAgent = z
  .object({
    agent_key: z.string().min(1).max(128).describe("Letters, digits, '_', '.', ':', '-'; unique per tenant (409 on a duplicate)"),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).nullable().optional()
  })
  .meta({ id: "CreateAgent" })

export const CreateAgentVersion = z
  .object({
    agent_id: z.uuid().describe("Agent the version belongs to"),
    config: AgentVersionConfig.optional().describe("Immutable once created; change it by creating a new version")
  })
  .meta({ id: "CreateAgentVersion" })

export const AdminAgentsResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), agents: z.array(Agent) })
  .meta({ id: "AdminAgentsResponse" })

export const AdminAgentResponse = z.object({ ok: z.boolean(), agent: Agent }).meta({ id: "AdminAgentResponse" })

export const AdminAgentVersionsResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), versions: z.array(AgentVersion) })
  .meta({ id: "AdminAgentVersionsResponse" })

export const AdminAgentVersionResponse = z.object({ ok: z.boolean(), version: AgentVersion }).meta({ id: "AdminAgentVersionResponse" })
