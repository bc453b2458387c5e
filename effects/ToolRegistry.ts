import { Data, Duration, Effect } from "effect"

export interface ToolDefinition {
  readonly type: "function"
  readonly name: string
  readonly description: string
  readonly parameters: Record<string, unknown>
}

/** What a tool may do to the live call; absent when run outside one (POST /test-function). */
export interface ToolContext {
  readonly tenantId: string
  readonly streamSid?: string | null | undefined
  readonly callSid?: string | null | undefined
  readonly customerPhone?: string | null | undefined
  readonly agentName?: string | null | undefined
  readonly escalate?: ((target: string, reason: string | null) => Effect.Effect<unknown, ToolFailed>) | undefined
  readonly endCall?: ((reason: string | null) => Effect.Effect<void>) | undefined
}

export class ToolFailed extends Data.TaggedError("ToolFailed")<{ readonly message: string }> {}

interface Tool {
  readonly definition: ToolDefinition
  readonly run: (args: Record<string, unknown>, ctx: ToolContext) => Effect.Effect<unknown, ToolFailed>
}

const TOOL_TIMEOUT = Duration.seconds(8)
const E164 = /^\+[1-9]\d{6,14}$/
const SIP = /^sips?:/i

const fn = (name: string, description: string, properties: Record<string, unknown>, required: ReadonlyArray<string> = []): ToolDefinition => ({
  type: "function",
  name,
  description,
  parameters: { type: "object", properties, required: [...required] }
})

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null)

const builtins: ReadonlyArray<Tool> = [
  {
    definition: fn("get_current_time", "Get the current date and time (UTC, ISO 8601)", {}),
    run: () => Effect.sync(() => ({ now: new Date().toISOString(), timezone: "UTC" }))
  },
  {
    definition: fn(
      "escalate_call_to_human",
      "Transfer the current call to a human agent",
      { target_number: { type: "string", description: "E.164 target number" }, reason: { type: "string" } },
      ["target_number"]
    ),
    run: (args, ctx) => {
      const target = str(args.target_number)
      if (!target || !(E164.test(target) || SIP.test(target))) return Effect.fail(new ToolFailed({ message: "target_number must be an E.164 number or SIP address" }))
      if (!ctx.escalate) return Effect.succeed({ escalated: false, dry_run: true, target_number: target, reason: str(args.reason) })
      return ctx.escalate(target, str(args.reason))
    }
  },
  {
    definition: fn("end_call", "Hang up once the goodbye has been said", { reason: { type: "string" } }),
    run: (args, ctx) =>
      ctx.endCall ? ctx.endCall(str(args.reason)).pipe(Effect.as({ ended: true })) : Effect.succeed({ ended: false, dry_run: true })
  }
]

/** The functions a tenant's agents may call, as OpenAI function definitions, and their execution. */
export class ToolRegistry extends Effect.Service<ToolRegistry>()("ToolRegistry", {
  accessors: true,
  sync: () => {
    const byName = new Map(builtins.map((t) => [t.definition.name, t]))

    // Tenant-specific registries would merge here; every tenant has the built-ins today.
    const list = (_tenantId: string): ReadonlyArray<ToolDefinition> => builtins.map((t) => t.definition)

    /** Never fails the caller: unknown tools, bad arguments, errors and timeouts become ToolFailed. */
    const run = (name: string, rawArgs: unknown, ctx: ToolContext): Effect.Effect<unknown, ToolFailed> => {
      const tool = byName.get(name)
      if (!tool) return Effect.fail(new ToolFailed({ message: `Function not found: ${name}` }))
      let args: unknown = rawArgs
      if (typeof rawArgs === "string") {
        try {
          args = rawArgs.trim() === "" ? {} : JSON.parse(rawArgs)
        } catch {
          return Effect.fail(new ToolFailed({ message: `arguments of ${name} are not valid JSON` }))
        }
      }
      if (args === null || args === undefined) args = {}
      if (typeof args !== "object" || Array.isArray(args)) return Effect.fail(new ToolFailed({ message: `arguments of ${name} must be an object` }))
      return tool.run(args as Record<string, unknown>, ctx).pipe(
        Effect.timeoutFail({ duration: TOOL_TIMEOUT, onTimeout: () => new ToolFailed({ message: `${name} timed out` }) }),
        Effect.catchAllDefect((d) => Effect.fail(new ToolFailed({ message: `${name} failed: ${d instanceof Error ? d.message : String(d)}` }))),
        Effect.withSpan("ToolRegistry.run", { attributes: { tool: name } })
      )
    }

    return { list, run } as const
  }
}) {}
