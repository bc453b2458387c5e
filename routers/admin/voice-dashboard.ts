import { z } from "zod"
import { VoiceDashboard } from "../../effects/VoiceDashboard.js"
import { adminOp } from "../meta.js"
import { adminProcedure } from "../procedures.js"
import { NoInput, optionalInt } from "../schemas/common.js"
import { AdminAudioProviderDiagnosticsResponse, AdminVoiceDashboardBootstrapResponse } from "../schemas/voice-dashboard.js"
import { router, run } from "../trpc.js"

export const voiceDashboardRouter = router({
  bootstrap: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/voice-dashboard/bootstrap", operationId: "get_voice_dashboard_bootstrap", summary: "Get Voice Dashboard Bootstrap", errors: [401, 404], responseSchema: "AdminVoiceDashboardBootstrapResponse" }))
    .input(NoInput)
    .output(AdminVoiceDashboardBootstrapResponse)
    .query(async ({ ctx }) => {
      const tenants = await run(ctx, VoiceDashboard.bootstrap)
      const actor = ctx.admin.via === "admin_session" ? ctx.admin.username : "admin_key"
      return { ok: true, actor, count: tenants.length, tenants }
    }),

  audioProviders: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/tenants/audio-providers", operationId: "get_audio_provider_diagnostics", summary: "Get Audio Provider Diagnostics", errors: [401, 404], responseSchema: "AdminAudioProviderDiagnosticsResponse" }))
    .input(
      z.object({
        limit: optionalInt(0, 100_000, "Maximum number of diagnostics rows to return (default 500)"),
        include_uncached: z.boolean().optional().describe("Also evaluate stored tenants that are not in the cache (a full scan of the tenants table)")
      })
    )
    .output(AdminAudioProviderDiagnosticsResponse)
    .query(async ({ ctx, input }) => ({ ok: true, ...(await run(ctx, VoiceDashboard.audioProviders(input.limit ?? 500, input.include_uncached ?? false))) }))
})
