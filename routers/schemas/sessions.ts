import { z } from "zod"
import { SUPERVISOR_ACTIONS } from "../../effects/SupervisorActions.js"

const nullableString = (d: string) => z.string().nullable().describe(d)

const sessionFields = {
  agent_name: nullableString("AI agent name (optional)"),
  call_type: nullableString("Type of call (inbound/outbound/sip_inbound/etc)"),
  customer_phone: nullableString("Customer's phone number (optional)"),
  escalated: z.boolean().describe("Whether the session has been escalated to a human"),
  escalation_target: nullableString("Escalation target (optional)"),
  greeting: nullableString("Greeting message (optional)"),
  org_id: nullableString("Organization ID (optional)"),
  started_at: z.string().describe("Session start time (ISO 8601)"),
  stream_sid: z.string().describe("Unique stream SID from Twilio")
}

export const SessionInfo = z.object(sessionFields).meta({ id: "SessionInfo", description: "Snapshot of an in-flight realtime voice session" })
export const AdminSessionInfo = z.object({ ...sessionFields, tenant: z.string().describe("Tenant ID that owns this session") }).meta({ id: "AdminSessionInfo" })

export const SessionsListResponse = z
  .object({ ok: z.boolean().describe("Whether the request succeeded"), tenant: z.string().describe("Tenant identifier"), sessions: z.array(SessionInfo).describe("Active voice sessions") })
  .meta({ id: "SessionsListResponse", description: "Response containing a list of active in-memory voice sessions" })

export const AdminSessionsResponse = z.object({ ok: z.boolean(), count: z.number().int().min(0), sessions: z.array(AdminSessionInfo) }).meta({ id: "AdminSessionsResponse" })

export const SessionActionBody = z
  .object({
    note: z.string().nullable().optional().describe("Note to send (used with whisper action)"),
    reason: z.string().nullable().optional().describe("Reason for the action (used with end action)"),
    supervisor: z.string().optional().describe("Identifier for who is performing the action"),
    target: z.string().nullable().optional().describe("Escalation target phone number or SIP address (used with escalate action)")
  })
  .meta({ id: "SessionActionBody", description: "Request body for session control actions (monitor, whisper, barge, escalate, end)" })

export const SessionActionResponse = z
  .object({ ok: z.boolean().describe("Whether the action was accepted"), message: z.string().describe("Human-readable result message") })
  .meta({ id: "SessionActionResponse", description: "Acknowledgement returned after performing a session control action" })

export const SupervisorActionType = z.enum(SUPERVISOR_ACTIONS).meta({ id: "SupervisorActionType" })

export const SupervisorActionLog = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    stream_sid: z.string(),
    call_sid: z.string().nullable(),
    action: SupervisorActionType,
    supervisor: z.string(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    target: z.string().nullable(),
    metadata: z.unknown(),
    created_at: z.string()
  })
  .meta({ id: "SupervisorActionLog", description: "Durable supervisor action taken against a live session" })

export const AdminSupervisorActionsResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), actions: z.array(SupervisorActionLog) })
  .meta({ id: "AdminSupervisorActionsResponse" })

export const SupervisorActionsQuery = z.object({
  stream_sid: z.string().optional(),
  action: SupervisorActionType.optional(),
  limit: z.number().int().min(1).max(500).optional().describe("Page size (default 50, max 500)"),
  offset: z.number().int().min(0).optional()
})

export const ToolDefinition = z
  .object({
    type: z.string().describe('Function type (always "function")'),
    name: z.string().describe("Function name"),
    description: z.string().describe("Function description"),
    parameters: z.unknown().describe("JSON schema for parameters")
  })
  .meta({ id: "ToolDefinition", description: "OpenAI-compatible function/tool definition with JSON Schema parameters" })

export const ToolsResponse = z
  .object({
    count: z.number().int().min(0).describe("Total number of registered tools"),
    tools: z.array(z.object({ name: z.string().describe("Function name"), definition: ToolDefinition }).meta({ id: "ToolEntry" })).describe("List of available functions")
  })
  .meta({ id: "ToolsResponse", description: "List of all registered AI tool/function definitions available for the tenant" })

export const FunctionContextInput = z
  .object({
    agent_name: z.string().nullable().optional(),
    authenticated: z.boolean().optional(),
    customer_id: z.string().nullable().optional(),
    customer_phone: z.string().nullable().optional(),
    org_id: z.string().nullable().optional(),
    session_id: z.string().nullable().optional()
  })
  .meta({ id: "FunctionContextInput", description: "Optional execution context providing session and tenant information for function testing" })

export const FunctionTestRequest = z
  .object({ name: z.string().describe("Function name to execute"), args: z.unknown().describe("Function arguments as JSON"), context: FunctionContextInput.nullable().optional() })
  .meta({ id: "FunctionTestRequest", description: "Manually execute a registered AI tool/function with a synthetic context" })

export const FunctionTestResponse = z
  .object({ ok: z.boolean(), result: z.unknown().optional().describe("Function result (if successful)"), error: z.string().nullable().optional().describe("Error message (if failed)") })
  .meta({ id: "FunctionTestResponse", description: "Result of manually executing a registered AI tool/function" })

export const LogsStatsResponse = z
  .object({ ok: z.boolean(), tenant: z.string(), connectedClients: z.number().int().min(0), timestamp: z.string() })
  .meta({ id: "LogsStatsResponse" })
