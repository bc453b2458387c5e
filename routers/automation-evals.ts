import { z } from "zod"
import { VoiceSessionEvals } from "../effects/VoiceSessionEvals.js"
import { automationOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { AutomationPayload, AutomationResponse } from "./schemas/automation.js"
import { router, run } from "./trpc.js"

const TAGS = ["automation"]

/** AutomationPayload plus the evaluation's own keys (the payload admits function-specific keys). */
const RecordEvaluationPayload = AutomationPayload.extend({
  score: z.number().describe("0..1, or 0..100 read as a percentage; stored on 0..1"),
  rubric: z.unknown().optional().describe("Free-form rubric (criteria and their marks)"),
  tags: z.array(z.string()).nullable().optional(),
  notes: z.string().nullable().optional(),
  source: z.string().nullable().optional().describe("Who evaluated: human, llm_judge, ..."),
  agent_version_id: z.string().nullable().optional().describe("Defaults to the agent version recorded on the session's call log"),
  agent_key: z.string().nullable().optional(),
  agent_name: z.string().nullable().optional()
})

export const automationEvalsRouter = router({
  record: tenantProcedure
    .meta(automationOp({ method: "POST", path: "/api/v1/automations/voice/evaluation", operationId: "record_voice_session_eval", summary: "Record a voice session evaluation", tags: TAGS, errors: [400, 401, 404, 500], responseSchema: "AutomationResponse" }))
    .input(RecordEvaluationPayload)
    .output(AutomationResponse)
    .mutation(async ({ ctx, input }) => ({ ok: true, result: await run(ctx, VoiceSessionEvals.record(ctx.tenant.tenantId, input)), error: null })),

  get: tenantProcedure
    .meta(automationOp({ method: "POST", path: "/api/v1/automations/voice/get-eval", operationId: "get_voice_session_eval", summary: "Retrieve a voice session evaluation", tags: TAGS, errors: [400, 401, 404, 500], responseSchema: "AutomationResponse" }))
    .input(AutomationPayload)
    .output(AutomationResponse)
    .mutation(async ({ ctx, input }) => ({
      ok: true,
      result: await run(ctx, VoiceSessionEvals.getBySession(ctx.tenant.tenantId, { sessionId: input.session_id, callSid: input.call_sid })),
      error: null
    }))
})
