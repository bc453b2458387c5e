import { Effect } from "effect"
import { z } from "zod"
import { LiveCalls, type LiveCallInfo, type SupervisorCommand } from "../effects/LiveCalls.js"
import { NotFound, ValidationFailed } from "../effects/errors.js"
import { SUPERVISOR_ACTIONS, SupervisorActions, type SupervisorAction } from "../effects/SupervisorActions.js"
import type { Meta } from "./trpc.js"
import { adminOp, tenantOp } from "./meta.js"
import { adminProcedure, tenantProcedure } from "./procedures.js"
import { AdminSessionsResponse, SessionActionBody, SessionActionResponse, SessionsListResponse } from "./schemas/sessions.js"
import { NoInput } from "./schemas/common.js"
import { router, run } from "./trpc.js"

const TAGS = ["sessions"]
const view = ({ tenant: _t, call_sid: _c, ...rest }: LiveCallInfo) => rest

/** session_action answers its failures as SessionActionResponse ({ok:false, message}). */
const sessionActionOp = (): Meta => {
  const meta = tenantOp({ method: "POST", path: "/api/v1/sessions/{stream_sid}/actions/{action}", operationId: "session_action", summary: "Session Action", tags: TAGS, errors: [400, 401, 404], responseSchema: "SessionActionResponse" })
  return { ...meta, contract: { ...meta.contract!, envelope: "session_action" } }
}

const commandOf = (action: SupervisorAction, body: z.infer<typeof SessionActionBody>): SupervisorCommand | ValidationFailed => {
  switch (action) {
    case "monitor":
    case "barge":
      return { kind: action }
    case "whisper":
      return body.note?.trim() ? { kind: "whisper", note: body.note.trim() } : new ValidationFailed({ message: "whisper needs a note" })
    case "escalate":
      return body.target?.trim() ? { kind: "escalate", target: body.target.trim(), reason: body.reason ?? null } : new ValidationFailed({ message: "escalate needs a target" })
    case "end":
      return { kind: "end", reason: body.reason ?? null }
  }
}

export const sessionsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/sessions", operationId: "list_sessions", summary: "List Sessions", tags: TAGS, errors: [401], responseSchema: "SessionsListResponse" }))
    .input(NoInput)
    .output(SessionsListResponse)
    .query(async ({ ctx }) => ({ ok: true, tenant: ctx.tenant.tenantId, sessions: (await run(ctx, LiveCalls.list(ctx.tenant.tenantId))).map(view) })),

  listAll: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/sessions", operationId: "list_active_sessions", summary: "List Active Sessions", errors: [401, 404], responseSchema: "AdminSessionsResponse" }))
    .input(NoInput)
    .output(AdminSessionsResponse)
    .query(async ({ ctx }) => {
      const sessions = (await run(ctx, LiveCalls.list())).map(({ call_sid: _c, ...rest }) => rest)
      return { ok: true, count: sessions.length, sessions }
    }),

  action: tenantProcedure
    .meta(sessionActionOp())
    .input(SessionActionBody.extend({ stream_sid: z.string().describe("Twilio stream SID"), action: z.string().describe("Action to perform (monitor, whisper, barge, escalate, end)") }))
    .output(SessionActionResponse)
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.tenantId
      const action = SUPERVISOR_ACTIONS.find((a) => a === input.action)
      const message = await run(
        ctx,
        Effect.gen(function* () {
          if (!action) return yield* Effect.fail(new ValidationFailed({ message: `Unknown action: ${input.action} (monitor, whisper, barge, escalate, end)` }))
          const call = yield* LiveCalls.find(tenantId, input.stream_sid)
          if (!call) return yield* Effect.fail(new NotFound({ resource: "session", id: input.stream_sid }))
          const command = commandOf(action, input)
          if (command instanceof ValidationFailed) return yield* Effect.fail(command)
          const result = yield* call.control(command).pipe(Effect.mapError((m) => new ValidationFailed({ message: `Action failed: ${m}` })))
          yield* SupervisorActions.record(tenantId, {
            stream_sid: input.stream_sid,
            call_sid: call.info.call_sid,
            action,
            supervisor: input.supervisor?.trim() || "api",
            note: input.note ?? null,
            reason: input.reason ?? null,
            target: input.target ?? null,
            metadata: { result }
          })
          return result
        })
      )
      return { ok: true, message }
    })
})
