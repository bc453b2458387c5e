import { LogStream } from "../effects/LogStream.js"
import { tenantOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { NoInput } from "./schemas/common.js"
import { LogsStatsResponse } from "./schemas/sessions.js"
import { router, run } from "./trpc.js"

export const logsRouter = router({
  stats: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/logs/stats", operationId: "logs_stats", summary: "Logs Stats", tags: ["logs"], errors: [401], responseSchema: "LogsStatsResponse" }))
    .input(NoInput)
    .output(LogsStatsResponse)
    .query(async ({ ctx }) => ({
      ok: true,
      tenant: ctx.tenant.tenantId,
      connectedClients: await run(ctx, LogStream.connectedClients(ctx.tenant.tenantId)),
      timestamp: new Date().toISOString()
    }))
})
