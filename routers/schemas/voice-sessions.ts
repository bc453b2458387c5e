import { z } from "zod"

const str = () => z.string().nullable().optional()

export const VoiceSession = z
  .object({
    id: z.string().describe("Unique session identifier"),
    tenant_id: z.string().describe("Tenant that owns this session"),
    stream_id: z.string().describe("Twilio stream ID"),
    call_sid: str().describe("Twilio call SID"),
    call_type: str().describe("Type of call: inbound, outbound, sip_inbound"),
    customer_phone: str().describe("Customer phone number (E.164)"),
    agent_name: str().describe("AI agent name"),
    org_id: str().describe("Organization ID"),
    model: str().describe("AI model used"),
    voice: str().describe("TTS voice used"),
    status: z.string().describe("Session status: active, completed, transferred, failed"),
    summary: str().describe("LLM-generated summary"),
    sentiment: str().describe("Operator or model sentiment label"),
    rating: z.number().int().nullable().optional().describe("Operator-provided review rating"),
    tags: z.array(z.string()).describe("Session tags applied in the voice desk"),
    transcript: z.unknown().describe("Conversation transcript as JSON array"),
    function_calls: z.unknown().describe("Function calls made during the session as JSON array"),
    vad_events: z.unknown().describe("Voice activity detection events as JSON array"),
    metadata: z.unknown().describe("Arbitrary session metadata"),
    turn_count: z.number().int().describe("Number of conversation turns"),
    duration_ms: z.number().int().nullable().optional().describe("Session duration in milliseconds"),
    started_at: z.string().describe("Session start time (ISO 8601)"),
    ended_at: z.string().nullable().describe("Session end time (ISO 8601); null while active"),
    created_at: z.string().describe("Record creation time (ISO 8601)"),
    updated_at: z.string().describe("Record last updated time (ISO 8601)")
  })
  .meta({ id: "VoiceSession", description: "Persisted voice session record with transcript, function calls, and VAD metrics" })

export const CreateVoiceSessionRequest = z
  .object({
    stream_id: z.string().describe("Twilio stream ID; unique per tenant (409 when it exists)"),
    call_sid: str(),
    call_type: str(),
    customer_phone: str(),
    agent_name: str(),
    org_id: str(),
    model: str(),
    voice: str(),
    status: str().describe("active (default), completed, transferred or failed"),
    summary: str(),
    sentiment: str(),
    tags: z.array(z.string()).nullable().optional(),
    transcript: z.array(z.unknown()).nullable().optional().describe("JSON array of turns ({role, content, timestamp})"),
    metadata: z.unknown().optional(),
    duration_ms: z.number().int().nullable().optional()
  })
  .meta({ id: "CreateVoiceSessionRequest" })

export const VoiceSessionsListResponse = z
  .object({
    ok: z.boolean(),
    tenant: z.string().describe("Authenticated tenant identifier"),
    count: z.number().int().min(0).describe("Number of sessions in this page"),
    sessions: z.array(VoiceSession)
  })
  .describe("A page of voice sessions (the contract documents no body; this one is ours, left unnamed)")

export const ListVoiceSessionsInput = z.object({
  status: z.string().optional().describe("Filter by status (active, completed, transferred, failed)"),
  search: z
    .string()
    .optional()
    .describe("Case-insensitive search: words/phrase of agent name, summary and transcript; a phone-like value matches customer_phone digits"),
  started_after: z.string().optional().describe("Return only sessions started after the given RFC3339 timestamp"),
  sort: z.string().optional().describe("Sort by started_at: asc or desc (default desc)"),
  limit: z.number().int().optional().describe("Maximum results (default 50, max 200)"),
  offset: z.number().int().optional().describe("Pagination offset")
})
