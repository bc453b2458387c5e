import { Effect } from "effect"
import { ToolRegistry } from "../effects/ToolRegistry.js"
import { tenantOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { NoInput } from "./schemas/common.js"
import { FunctionTestRequest, FunctionTestResponse, ToolsResponse } from "./schemas/sessions.js"
import type { Meta } from "./trpc.js"
import { router, run } from "./trpc.js"

const TAGS = ["automation"]

const functionTestOp = (): Meta => {
  const meta = tenantOp({ method: "POST", path: "/test-function", operationId: "test_function", summary: "Test Function", tags: TAGS, errors: [401, 500], responseSchema: "FunctionTestResponse" })
  return { ...meta, contract: { ...meta.contract!, envelope: "function_test" } }
}

export const toolsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/tools", operationId: "tools", summary: "Tools", tags: TAGS, errors: [401], responseSchema: "ToolsResponse" }))
    .input(NoInput)
    .output(ToolsResponse)
    .query(async ({ ctx }) => {
      const tools = await run(ctx, ToolRegistry.list(ctx.tenant.tenantId))
      return { count: tools.length, tools: tools.map((definition) => ({ name: definition.name, definition })) }
    }),

  /** Runs one tool outside a call: live-call effects (transfer, hang-up) are reported, not done. */
  test: tenantProcedure
    .meta(functionTestOp())
    .input(FunctionTestRequest)
    .output(FunctionTestResponse)
    .mutation(async ({ ctx, input }) => {
      const c = input.context ?? {}
      const outcome = await run(
        ctx,
        Effect.flatMap(ToolRegistry, (tools) =>
          Effect.either(tools.run(input.name, input.args, { tenantId: ctx.tenant.tenantId, streamSid: c.session_id ?? null, customerPhone: c.customer_phone ?? null, agentName: c.agent_name ?? null }))
        )
      )
      if (outcome._tag === "Right") return { ok: true, result: outcome.right, error: null }
      ctx.response.status = 500
      return { ok: false, error: outcome.left.message }
    })
})
