import { Duration, Effect, type Queue, Stream } from "effect"
import type { ModelSession } from "../../effects/RealtimeModel.js"
import type { ToolFailed } from "../../effects/ToolRegistry.js"
import type { CallBridge, ToolCallRequest } from "./bridge.js"
import type { EndReason, FunctionCallRecord } from "./records.js"

const parsed = (s: string): unknown => {
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}

/**
 * Tool calls one at a time, in order: each result (or error) goes back to the model as a
 * function_call_output and a new response is asked for. A failing tool never ends the call.
 */
export const runTools = (
  queue: Queue.Queue<ToolCallRequest>,
  deps: {
    readonly bridge: CallBridge
    readonly session: ModelSession
    readonly functionCalls: Array<FunctionCallRecord>
    readonly publish: (type: string, data: unknown) => void
    readonly run: (name: string, args: string) => Effect.Effect<unknown, ToolFailed>
  }
) =>
  Stream.runForEach(Stream.fromQueue(queue), (c) =>
    Effect.gen(function* () {
      const t0 = performance.now()
      const result = yield* Effect.either(deps.run(c.name, c.arguments))
      const ok = result._tag === "Right"
      deps.functionCalls.push({
        name: c.name,
        arguments: parsed(c.arguments),
        result: ok ? result.right : null,
        error: ok ? null : result.left.message,
        duration_ms: Math.round(performance.now() - t0),
        timestamp: new Date().toISOString()
      })
      deps.publish("tool.call", { name: c.name, ok })
      const output = ok ? result.right : { error: result.left.message }
      deps.session.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: c.callId, output: JSON.stringify(output ?? null) } })
      deps.bridge.answerAfterTool()
    })
  )

/** Idle: a polite prompt, then (if the caller still says nothing) hang up. Max duration: a goodbye, then hang up. */
export const startTimers = (
  limits: { readonly idleMs: number; readonly maxDurationMs: number; readonly goodbyeMs: number },
  activity: { last: number; readonly caller: number },
  bridge: CallBridge,
  end: (r: EndReason) => Effect.Effect<void>
) =>
  Effect.all(
    [
      Effect.forkScoped(
        Effect.gen(function* () {
          let promptedAt: number | null = null
          while (true) {
            yield* Effect.sleep(Duration.millis(Math.max(50, activity.last + limits.idleMs - performance.now())))
            // A caller who answered the prompt gets a fresh prompt next time, not a hang-up.
            if (promptedAt !== null && activity.caller > promptedAt) promptedAt = null
            if (performance.now() - activity.last < limits.idleMs) continue
            if (promptedAt !== null) return yield* end({ kind: "idle" })
            promptedAt = performance.now()
            activity.last = promptedAt
            bridge.requestResponse(`Say exactly: "Are you still there?"`)
          }
        })
      ),
      Effect.forkScoped(
        Effect.sleep(Duration.millis(limits.maxDurationMs)).pipe(
          Effect.zipRight(Effect.sync(() => bridge.requestResponse(`Say exactly: "We have reached the time limit for this call. Goodbye."`))),
          Effect.zipRight(Effect.sleep(Duration.millis(limits.goodbyeMs))),
          Effect.zipRight(end({ kind: "max_duration" }))
        )
      )
    ],
    { discard: true }
  )
