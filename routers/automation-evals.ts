import { Effect } from "effect"
import { z } from "zod"
import { type NotFound, ValidationFailed } from "../effects/errors.js"
import { VoiceSessionEvals } from "../effects/VoiceSessionEvals.js"
import { automationOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { AutomationPayload, AutomationResponse } from "./schemas/automation.js"
import { failWith, router, run } from "./trpc.js"

const TAGS = ["automation"]

/**
 * The evaluation's own keys, carried in the AutomationPayload (which admits function-specific
 * keys): score (0..1, or 0..100 read as a percentage), rubric, tags, notes, source, agent_*.
 */
const EvaluationFields = z.object({
  score: z.number(),
  rubric: z.unknown().optional(),
  tags: z.array(z.string()).nullable().optional(),
  notes: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  agent_version_id: z.string().nullable().optional(),
  agent_key: z.string().nullable().optional(),
  agent_name: z.string().nullable().optional()
})

/**
 * The contract documents only 400 for a failed automation, so a session that cannot be found
 * (unknown, or another tenant's) is a 400 AutomationResponse here, as for any other bad payload.
 */
const notFoundAsBadPayload = (e: NotFound) => Effect.fail(new ValidationFailed({ message: e.id ? `${e.resource} not found: ${e.id}` : `${e.resource} not found` }))

export const automationEvalsRouter = router({
  record: tenantProcedure
    .meta(automationOp({ method: "POST", path: "/api/v1/automations/voice/evaluation", operationId: "record_voice_session_eval", summary: "Record a voice session evaluation", description: "Stores quality evaluation metrics for a completed voice session. Besides the AutomationPayload keys (session_id or call_sid name the session), the body carries score (0..1, or 0..100 read as a percentage; stored on 0..1), rubric, tags, notes, source and optionally agent_version_id / agent_key / agent_name.", tags: TAGS, errors: [400, 401, 500], responseSchema: "AutomationResponse" }))
    .input(AutomationPayload)
    .output(AutomationResponse)
    .mutation(async ({ ctx, input }) => {
      const fields = EvaluationFields.safeParse(input)
      if (!fields.success) return failWith({ status: 400, code: "VALIDATION_ERROR", message: `invalid evaluation: ${fields.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` })
      const recorded = await run(ctx, VoiceSessionEvals.record(ctx.tenant.tenantId, { ...fields.data, session_id: input.session_id, call_sid: input.call_sid, metadata: input.metadata }).pipe(Effect.catchTag("NotFound", notFoundAsBadPayload)))
      return { ok: true, result: recorded, error: null }
    }),

  get: tenantProcedure
    .meta(automationOp({ method: "POST", path: "/api/v1/automations/voice/get-eval", operationId: "get_voice_session_eval", summary: "Retrieve a voice session evaluation", tags: TAGS, errors: [400, 401, 500], responseSchema: "AutomationResponse" }))
    .input(AutomationPayload)
    .output(AutomationResponse)
    .mutation(async ({ ctx, input }) => ({
      ok: true,
      result: await run(ctx, VoiceSessionEvals.getBySession(ctx.tenant.tenantId, { sessionId: input.session_id, callSid: input.call_sid }).pipe(Effect.catchTag("NotFound", notFoundAsBadPayload))),
      error: null
    }))
})
