import { Effect } from "effect"
import { ValidationFailed } from "../effects/errors.js"
import { LiveCalls } from "../effects/LiveCalls.js"
import { transferCall } from "../src/media/escalation.js"
import { automationOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { AutomationPayload, AutomationResponse } from "./schemas/automation.js"
import { type Meta, router, run } from "./trpc.js"

const TAGS = ["automation"]
const E164_OR_SIP = /^(\+[1-9]\d{6,14}|sips?:.+)$/i

const targetOf = (input: Record<string, unknown>): string | null => {
  const meta = typeof input.metadata === "object" && input.metadata !== null ? (input.metadata as Record<string, unknown>) : {}
  for (const v of [input.target_number, input.to, meta.target_number]) if (typeof v === "string" && v.trim()) return v.trim()
  return null
}

/**
 * A live call on this instance is escalated through its fiber (so its log records `escalated`
 * and the call.escalated webhook); otherwise the call is transferred through Twilio directly.
 */
const escalate = (mode: "cold" | "warm", meta: Meta) =>
  tenantProcedure.meta(meta).input(AutomationPayload).output(AutomationResponse).mutation(async ({ ctx, input }) => {
    const tenantId = ctx.tenant.tenantId
    const result = await run(
      ctx,
      Effect.gen(function* () {
        const target = targetOf(input)
        const callSid = input.call_sid?.trim()
        if (!callSid) return yield* Effect.fail(new ValidationFailed({ message: "Function 'escalate_call_to_human' failed: missing required field 'call_sid'" }))
        if (!target || !E164_OR_SIP.test(target)) return yield* Effect.fail(new ValidationFailed({ message: "Function 'escalate_call_to_human' failed: missing or invalid 'target_number'" }))
        const live = yield* LiveCalls.findByCallSid(tenantId, callSid)
        const reason = input.reason ?? null
        const done = live
          ? live.control({ kind: "escalate", target, reason, mode })
          : transferCall(ctx.tenant.config, callSid, target, mode).pipe(Effect.as("Escalated"))
        yield* done.pipe(Effect.mapError((m) => new ValidationFailed({ message: `Function 'escalate_call_to_human' failed: ${m}` })))
        return { call_sid: callSid, target_number: target, mode, live_session: live?.info.stream_sid ?? null, escalated_at: new Date().toISOString() }
      })
    )
    return { ok: true, result, error: null }
  })

export const escalationRouter = router({
  escalateCall: escalate(
    "cold",
    automationOp({ method: "POST", path: "/api/v1/automations/escalate-call", operationId: "escalate_call", summary: "Escalate a call to a human agent", tags: TAGS, errors: [400, 401, 500], responseSchema: "AutomationResponse" })
  ),
  escalateCallWithBridge: escalate(
    "warm",
    automationOp({ method: "POST", path: "/api/v1/automations/escalate-call-with-bridge", operationId: "escalate_call_with_bridge", summary: "Escalate a call using Twilio call bridge", tags: TAGS, errors: [400, 401, 500], responseSchema: "AutomationResponse" })
  )
})
