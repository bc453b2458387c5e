import { z } from "zod"
import { VoiceSessionEvals } from "../effects/VoiceSessionEvals.js"
import { parseEvalQuery } from "../src/domain/record-queries.js"
import { tenantOp } from "./meta.js"
import { orBadRequest } from "./parse.js"
import { tenantProcedure } from "./procedures.js"
import { NoInput } from "./schemas/common.js"
import { ListVoiceSessionEvalsInput, VoiceSessionEval, VoiceSessionEvalsListResponse, VoiceSessionEvalStats } from "./schemas/voice-session-evals.js"
import { router, run } from "./trpc.js"

const TAGS = ["voice_sessions"]

export const voiceSessionEvalsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-session-evals", operationId: "list_voice_session_evals", summary: "List Voice Session Evals", tags: TAGS, errors: [400, 401, 500, 503] }))
    .input(ListVoiceSessionEvalsInput)
    .output(VoiceSessionEvalsListResponse)
    .query(async ({ ctx, input }) => {
      const evals = await run(ctx, VoiceSessionEvals.list(ctx.tenant.tenantId, orBadRequest(parseEvalQuery(input))))
      return { ok: true, tenant: ctx.tenant.tenantId, count: evals.length, evals }
    }),

  stats: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-session-evals/stats", operationId: "get_voice_session_eval_stats", summary: "Get Voice Session Eval Stats", tags: TAGS, errors: [401, 500, 503], responseSchema: "VoiceSessionEvalStats" }))
    .input(NoInput)
    .output(VoiceSessionEvalStats)
    .query(({ ctx }) => run(ctx, VoiceSessionEvals.stats(ctx.tenant.tenantId))),

  bySession: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-session-evals/by-session/{session_id}", operationId: "get_voice_session_eval_by_session", summary: "Get Voice Session Eval By Session", tags: TAGS, errors: [401, 404, 500, 503], responseSchema: "VoiceSessionEval" }))
    .input(z.object({ session_id: z.string().describe("Voice session id or stream id") }))
    .output(VoiceSessionEval)
    .query(({ ctx, input }) => run(ctx, VoiceSessionEvals.getBySession(ctx.tenant.tenantId, { sessionId: input.session_id })))
})
