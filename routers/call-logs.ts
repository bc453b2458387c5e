import { z } from "zod"
import { CallLogs } from "../effects/CallLogs.js"
import { parseCallLogQuery, parseSamples } from "../src/domain/call-log-query.js"
import { parseWindow } from "../src/domain/time-window.js"
import { tenantOp } from "./meta.js"
import { orBadRequest } from "./parse.js"
import { tenantProcedure } from "./procedures.js"
import { CallLatencyInput, CallLatencyResponse } from "./schemas/call-latency.js"
import { CallLogDetailResponse, CallLogsListResponse, CallStatsResponse, ListCallLogsInput } from "./schemas/call-logs.js"
import { NoInput } from "./schemas/common.js"
import { router, run } from "./trpc.js"

const TAGS = ["call_logs"]

export const callLogsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/call-logs", operationId: "list_call_logs", summary: "List call logs for the authenticated tenant", tags: TAGS, errors: [400, 401, 500, 503], responseSchema: "CallLogsListResponse" }))
    .input(ListCallLogsInput)
    .output(CallLogsListResponse)
    .query(async ({ ctx, input }) => {
      const query = orBadRequest(parseCallLogQuery(input))
      const page = await run(ctx, CallLogs.list(ctx.tenant.tenantId, query))
      return { ok: true, tenant: ctx.tenant.tenantId, calls: page.calls, count: page.calls.length, next_cursor: page.next_cursor }
    }),

  stats: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/call-logs/stats", operationId: "get_call_stats", summary: "Get call statistics for the authenticated tenant", tags: TAGS, errors: [401, 500, 503], responseSchema: "CallStatsResponse" }))
    .input(NoInput)
    .output(CallStatsResponse)
    .query(async ({ ctx }) => ({ ok: true, tenant: ctx.tenant.tenantId, stats: await run(ctx, CallLogs.stats(ctx.tenant.tenantId)) })),

  latency: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/call-logs/latency", operationId: "get_call_latency", summary: "Aggregate per-turn latency percentiles across recent calls.", tags: TAGS, errors: [400, 401, 500, 503], responseSchema: "CallLatencyResponse" }))
    .input(CallLatencyInput)
    .output(CallLatencyResponse)
    .query(async ({ ctx, input }) => {
      const window = orBadRequest(parseWindow(input.window, "24h"))
      const samples = orBadRequest(parseSamples(input.samples))
      const bucket = window === "24h" ? "hour" : "day"
      const latency = await run(ctx, CallLogs.latency(ctx.tenant.tenantId, window, bucket, samples))
      return { ok: true, tenant: ctx.tenant.tenantId, ...latency }
    }),

  get: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/call-logs/{id}", operationId: "get_call_log", summary: "Get a single call log by ID", tags: TAGS, errors: [401, 404, 500, 503], responseSchema: "CallLogDetailResponse" }))
    .input(z.object({ id: z.string().describe("Call log ID") }))
    .output(CallLogDetailResponse)
    .query(async ({ ctx, input }) => ({ ok: true, call: await run(ctx, CallLogs.get(ctx.tenant.tenantId, input.id)) }))
})
