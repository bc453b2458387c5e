import { z } from "zod"

export const JsonObject = z.record(z.string(), z.unknown())

export const ErrorResponse = z
  .object({
    success: z.boolean().describe("Always false for errors"),
    error: z.string().describe("Human-readable error message"),
    code: z.string().describe("Machine-readable error code"),
    details: z.unknown().optional().describe("Additional error details (optional)"),
    request_id: z.string().nullable().optional().describe("Request ID for support correlation")
  })
  .meta({ id: "ErrorResponse", description: "Standard error envelope returned by tenant-facing API errors" })

export const AdminErrorResponse = z
  .object({ ok: z.boolean(), error: z.string() })
  .meta({ id: "AdminErrorResponse", description: "Error envelope of the admin API." })

/** Query integers arrive as strings on REST; the bridge coerces them by this schema's type. */
export const optionalInt = (min: number, max: number, description: string) =>
  z.number().int().min(min).max(max).optional().describe(description)

export const NoInput = z.object({})
