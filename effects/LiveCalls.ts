import { Effect, FiberMap } from "effect"

export type SupervisorCommand =
  | { readonly kind: "monitor" }
  | { readonly kind: "whisper"; readonly note: string }
  | { readonly kind: "barge" }
  | { readonly kind: "escalate"; readonly target: string; readonly reason: string | null; readonly mode?: "cold" | "warm" }
  | { readonly kind: "end"; readonly reason: string | null }

/** Snapshot of a live call (SessionInfo + its tenant). */
export interface LiveCallInfo {
  readonly tenant: string
  readonly stream_sid: string
  readonly call_sid: string
  readonly started_at: string
  agent_name: string | null
  readonly call_type: string | null
  readonly customer_phone: string | null
  greeting: string | null
  readonly org_id: string | null
  escalated: boolean
  escalation_target: string | null
}

export interface LiveCall {
  readonly info: LiveCallInfo
  /** Runs a supervisor command inside the call; the message is the SessionActionResponse text. */
  readonly control: (command: SupervisorCommand) => Effect.Effect<string, string>
}

/**
 * Every live call on this instance: one fiber per call in a FiberMap keyed by stream SID, so
 * shutdown interrupts each call and its finalizer (which writes the call's records) runs.
 * Calls are also indexed by CallSid: Twilio may open a second socket for the same call.
 */
export class LiveCalls extends Effect.Service<LiveCalls>()("LiveCalls", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const fibers = yield* FiberMap.make<string>()
    const calls = new Map<string, LiveCall>()
    const byCallSid = new Map<string, string>()
    let bootstrapping = 0

    /** Starts the call's fiber unless its CallSid is already live; false means "duplicate". */
    const start = <E, R>(call: LiveCall, run: Effect.Effect<void, E, R>) =>
      Effect.gen(function* () {
        const { stream_sid, call_sid } = call.info
        if (byCallSid.has(call_sid) || calls.has(stream_sid)) return false
        calls.set(stream_sid, call)
        byCallSid.set(call_sid, stream_sid)
        const unregister = Effect.sync(() => {
          if (calls.get(stream_sid) === call) calls.delete(stream_sid)
          if (byCallSid.get(call_sid) === stream_sid) byCallSid.delete(call_sid)
        })
        yield* FiberMap.run(fibers, stream_sid, Effect.ensuring(run, unregister))
        return true
      })

    const list = (tenantId?: string): ReadonlyArray<LiveCallInfo> =>
      [...calls.values()].map((c) => c.info).filter((i) => tenantId === undefined || i.tenant === tenantId)

    /** Another tenant's call is "not live" (undefined), never visible. */
    const find = (tenantId: string, streamSid: string): LiveCall | undefined => {
      const call = calls.get(streamSid)
      return call && call.info.tenant === tenantId ? call : undefined
    }

    const findByCallSid = (tenantId: string, callSid: string): LiveCall | undefined => {
      const stream = byCallSid.get(callSid)
      return stream === undefined ? undefined : find(tenantId, stream)
    }

    /** Interrupts every call and waits for their finalizers (server shutdown). */
    const drain = FiberMap.clear(fibers)

    const tryBootstrap = (limit: number): boolean => {
      if (bootstrapping >= limit) return false
      bootstrapping++
      return true
    }
    const endBootstrap = () => {
      bootstrapping = Math.max(0, bootstrapping - 1)
    }

    return {
      start,
      list,
      find,
      findByCallSid,
      drain,
      count: () => calls.size,
      tryBootstrap,
      endBootstrap,
      bootstrapping: () => bootstrapping
    } as const
  })
}) {}
