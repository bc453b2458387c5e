import { z } from "zod"

export const AutomationPayload = z
  .looseObject({
    call_sid: z.string().nullable().optional().describe("Twilio call SID"),
    customer_phone: z.string().nullable().optional().describe("Customer phone number in E.164 format"),
    metadata: z.unknown().optional().describe("Optional workflow-specific metadata"),
    reason: z.string().nullable().optional().describe("Human-readable workflow reason or note"),
    session_id: z.string().nullable().optional().describe("Voice session identifier when the automation is tied to a persisted session"),
    to: z.string().nullable().optional().describe("Destination phone number or escalation target")
  })
  .meta({
    id: "AutomationPayload",
    description: "Automation payload passed to a tenant's registered workflow function. Common fields are documented here; individual functions accept additional keys."
  })

export const AutomationResponse = z
  .object({
    ok: z.boolean().describe("Whether the automation executed successfully"),
    result: z.unknown().optional().describe("Result payload returned by the function (present on success)"),
    error: z.string().nullable().optional().describe("Error message (present on failure)")
  })
  .meta({ id: "AutomationResponse", description: "Response returned by automation function execution endpoints" })
