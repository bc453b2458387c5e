import { z } from "zod"
import { VoiceOutcomes } from "../effects/VoiceOutcomes.js"
import { parseOutcomeQuery } from "../src/domain/record-queries.js"
import { parseBucket, parseWindow } from "../src/domain/time-window.js"
import { tenantOp } from "./meta.js"
import { orBadRequest } from "./parse.js"
import { tenantProcedure } from "./procedures.js"
import {
  ListVoiceOutcomesInput,
  OutcomeTimeseriesInput,
  OutcomeWindowInput,
  VoiceOutcomeDetailResponse,
  VoiceOutcomesListResponse,
  VoiceOutcomeStatsResponse,
  VoiceOutcomeTimeseriesResponse
} from "./schemas/voice-outcomes.js"
import { router, run } from "./trpc.js"

const TAGS = ["voice_sessions"]

export const voiceOutcomesRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-outcomes", operationId: "list_voice_outcomes", summary: "List Voice Outcomes", tags: TAGS, errors: [400, 401, 503], responseSchema: "VoiceOutcomesListResponse" }))
    .input(ListVoiceOutcomesInput)
    .output(VoiceOutcomesListResponse)
    .query(async ({ ctx, input }) => {
      const outcomes = await run(ctx, VoiceOutcomes.list(ctx.tenant.tenantId, orBadRequest(parseOutcomeQuery(input))))
      return { ok: true, tenant: ctx.tenant.tenantId, count: outcomes.length, outcomes }
    }),

  stats: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-outcomes/stats", operationId: "get_voice_outcome_stats", summary: "Get Voice Outcome Stats", tags: TAGS, errors: [400, 401, 503], responseSchema: "VoiceOutcomeStatsResponse" }))
    .input(OutcomeWindowInput)
    .output(VoiceOutcomeStatsResponse)
    .query(async ({ ctx, input }) => {
      const window = orBadRequest(parseWindow(input.window, "24h"))
      return { ok: true, tenant: ctx.tenant.tenantId, stats: await run(ctx, VoiceOutcomes.stats(ctx.tenant.tenantId, window)) }
    }),

  timeseries: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-outcomes/timeseries", operationId: "get_voice_outcome_timeseries", summary: "Get Voice Outcome Timeseries", tags: TAGS, errors: [400, 401, 503], responseSchema: "VoiceOutcomeTimeseriesResponse" }))
    .input(OutcomeTimeseriesInput)
    .output(VoiceOutcomeTimeseriesResponse)
    .query(async ({ ctx, input }) => {
      const window = orBadRequest(parseWindow(input.window, "24h"))
      const bucket = orBadRequest(parseBucket(input.bucket, window))
      return { ok: true, tenant: ctx.tenant.tenantId, timeseries: await run(ctx, VoiceOutcomes.timeseries(ctx.tenant.tenantId, window, bucket)) }
    }),

  byStream: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-outcomes/by-stream/{stream_sid}", operationId: "get_voice_outcome_by_stream", summary: "Get Voice Outcome By Stream", tags: TAGS, errors: [401, 404, 503], responseSchema: "VoiceOutcomeDetailResponse" }))
    .input(z.object({ stream_sid: z.string().describe("Twilio media stream SID") }))
    .output(VoiceOutcomeDetailResponse)
    .query(async ({ ctx, input }) => ({ ok: true, tenant: ctx.tenant.tenantId, outcome: await run(ctx, VoiceOutcomes.getByStream(ctx.tenant.tenantId, input.stream_sid)) })),

  get: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-outcomes/{id}", operationId: "get_voice_outcome", summary: "Get Voice Outcome", tags: TAGS, errors: [400, 401, 404, 503], responseSchema: "VoiceOutcomeDetailResponse" }))
    .input(z.object({ id: z.string().describe("Canonical voice outcome id (UUID; anything else is a 400)") }))
    .output(VoiceOutcomeDetailResponse)
    .query(async ({ ctx, input }) => ({ ok: true, tenant: ctx.tenant.tenantId, outcome: await run(ctx, VoiceOutcomes.get(ctx.tenant.tenantId, input.id)) }))
})
