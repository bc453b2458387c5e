import { z } from "zod"
import { WebhookDiagnostics } from "../../effects/WebhookDiagnostics.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { AdminTwilioWebhookCacheClearResponse, AdminTwilioWebhookDiagnosticsResponse, AdminTwilioWebhookResetCountersResponse } from "../schemas/calls.js"
import { NoInput } from "../schemas/common.js"
import { router, run } from "../trpc.js"

export const twilioDiagnosticsRouter = router({
  get: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/twilio/webhook-diagnostics", operationId: "get_twilio_webhook_diagnostics", summary: "Get Twilio Webhook Diagnostics", errors: [401, 404], responseSchema: "AdminTwilioWebhookDiagnosticsResponse" }))
    .input(NoInput)
    .output(AdminTwilioWebhookDiagnosticsResponse)
    .query(async ({ ctx }) => ({ ok: true, ...(await run(ctx, WebhookDiagnostics.snapshot)) })),

  clearCache: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/twilio/webhook-diagnostics/cache/clear", operationId: "clear_twilio_webhook_hint_cache_admin", summary: "Clear Twilio Webhook Hint Cache Admin", errors: [401, 404], responseSchema: "AdminTwilioWebhookCacheClearResponse" }))
    .input(NoInput)
    .output(AdminTwilioWebhookCacheClearResponse)
    .mutation(async ({ ctx }) => ({ ok: true, ...(await run(ctx, WebhookDiagnostics.clearCache)) })),

  resetCounters: adminProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/twilio/webhook-diagnostics/counters/reset", operationId: "reset_twilio_webhook_diagnostics_admin", summary: "Reset Twilio Webhook Diagnostics Admin", errors: [401, 404], responseSchema: "AdminTwilioWebhookResetCountersResponse" }))
    .input(z.object({ clear_hint_cache: z.boolean().optional().describe("If true, also clears all hint-cache entries while resetting counters.") }))
    .output(AdminTwilioWebhookResetCountersResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, ...(await run(ctx, WebhookDiagnostics.resetCounters(input.clear_hint_cache ?? false))) }))
})
