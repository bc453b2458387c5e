import { Deferred, Effect, Exit, Queue, Redacted, Stream } from "effect"
import WebSocket from "ws"
import { AgentResolution } from "../../effects/AgentResolution.js"
import { AppConfig } from "../../effects/AppConfig.js"
import type { LiveCall, LiveCallInfo, SupervisorCommand } from "../../effects/LiveCalls.js"
import { LogStream } from "../../effects/LogStream.js"
import { PendingRecords } from "../../effects/PendingRecords.js"
import { type ModelEvent, RealtimeModel } from "../../effects/RealtimeModel.js"
import { ToolFailed, ToolRegistry } from "../../effects/ToolRegistry.js"
import { Twilio } from "../../effects/Twilio.js"
import { tenantDefaultConfig } from "../domain/agent-config.js"
import { CallBridge } from "./bridge.js"
import { hangUpCall, transferCall } from "./escalation.js"
import { type CallFacts, type EndReason, type Escalation, finalRecord, type FunctionCallRecord } from "./records.js"
import { callLimits, DEFAULT_VOICE, FALLBACK_LINE, greetingInstructions, sessionConfig } from "./session-config.js"
import { runTools, startTimers } from "./call-tasks.js"
import type { TwilioInbound } from "./twilio-messages.js"

export interface CallStart {
  readonly tenantId: string
  readonly tenantConfig: Readonly<Record<string, unknown>>
  readonly streamSid: string
  readonly callSid: string
  readonly params: Readonly<Record<string, string>>
  readonly twilio: WebSocket
  /** Hands the socket's messages to the call, replaying those that arrived since `start`. */
  readonly takeOver: (handler: (msg: TwilioInbound) => void) => void
  readonly serverModel: string
}

const param = (p: Readonly<Record<string, string>>, ...names: ReadonlyArray<string>): string | null => {
  for (const n of names) if (p[n]) return p[n]!
  return null
}

const HANG_UP_AFTER: ReadonlySet<EndReason["kind"]> = new Set(["supervisor_end", "idle", "max_duration", "end_call_tool"])

/** The live call (for LiveCalls) and the effect that runs it to the end; its records are always written. */
export const makeCall = (start: CallStart) =>
  Effect.gen(function* () {
    const logs = yield* LogStream
    const { openaiRealtimeSessionMaxSeconds } = yield* AppConfig
    const twilioService = yield* Twilio
    const ended = yield* Deferred.make<EndReason>()
    const direction = param(start.params, "direction") === "outbound" ? "outbound" : "inbound"
    const from = param(start.params, "from", "From")
    const to = param(start.params, "to", "To")
    const info: LiveCallInfo = {
      tenant: start.tenantId,
      stream_sid: start.streamSid,
      call_sid: start.callSid,
      started_at: new Date().toISOString(),
      agent_name: null,
      call_type: direction,
      customer_phone: direction === "inbound" ? from : to,
      greeting: null,
      org_id: param(start.params, "org_id"),
      escalated: false,
      escalation_target: null
    }
    let facts: CallFacts = {
      tenantId: start.tenantId, streamSid: start.streamSid, callSid: start.callSid, direction, from, to,
      startedAt: new Date(info.started_at), agentName: null, agentVersionId: null, model: start.serverModel, voice: DEFAULT_VOICE, orgId: info.org_id
    }
    let bridge: CallBridge | null = null
    let escalation: Escalation | null = null
    let reconnects = () => 0
    const functionCalls: Array<FunctionCallRecord> = []
    const publish = (type: string, data: unknown) => logs.publish(start.tenantId, { type, stream_sid: start.streamSid, call_sid: start.callSid, data })
    const end = (r: EndReason) => Deferred.succeed(ended, r).pipe(Effect.asVoid)

    const escalate = (target: string, reason: string | null, initiatedBy: Escalation["initiatedBy"], mode: "cold" | "warm") =>
      transferCall(start.tenantConfig, start.callSid, target, mode).pipe(
        Effect.provideService(Twilio, twilioService),
        Effect.tap(() =>
          Effect.sync(() => {
            escalation = { target, reason, initiatedBy }
            info.escalated = true
            info.escalation_target = target
            publish("call.escalated", { target, reason, initiated_by: initiatedBy, mode })
          })
        )
      )

    const control = (cmd: SupervisorCommand): Effect.Effect<string, string> => {
      if (cmd.kind === "monitor") return Effect.succeed("Monitoring: live transcript events stream on /api/v1/logs")
      if (cmd.kind === "end") return end({ kind: "supervisor_end", reason: cmd.reason }).pipe(Effect.as("Call ended"))
      if (cmd.kind === "escalate") return escalate(cmd.target, cmd.reason, "supervisor", cmd.mode ?? "cold").pipe(Effect.as("Escalated"))
      const b = bridge
      if (!b) return Effect.fail("session is still starting")
      return Effect.sync(() => {
        if (cmd.kind === "whisper") {
          b.modelNote(cmd.note)
          return "Whisper delivered"
        }
        b.muted = true
        b.interrupt("supervisor")
        publish("state", { state: "barged" })
        return "Barged: the agent is muted"
      })
    }

    const core = Effect.gen(function* () {
      const tools = yield* ToolRegistry
      const limits = callLimits(start.tenantConfig)
      const resolved = yield* AgentResolution.resolve({
        tenantId: start.tenantId,
        callSid: start.callSid,
        agentVersionId: param(start.params, "agent_version_id") ?? undefined,
        agentKey: param(start.params, "agent_key") ?? undefined,
        phoneNumber: (direction === "inbound" ? to : from) ?? undefined,
        direction
      }).pipe(
        Effect.map((r) => ({ agent: r.config, name: r.agent_name ?? r.config.agent_name, versionId: r.agent_version_id, greeting: r.greeting })),
        Effect.catchAll((e) =>
          Effect.logWarning("agent resolution failed; using tenant defaults", { stream_sid: start.streamSid, error: String(e) }).pipe(
            Effect.as({ agent: tenantDefaultConfig(start.tenantConfig), name: null, versionId: null, greeting: null })
          )
        )
      )
      const greeting = param(start.params, "greeting") ?? resolved.greeting ?? resolved.agent.greeting
      facts = { ...facts, agentName: resolved.name, agentVersionId: resolved.versionId, model: resolved.agent.realtime_model ?? start.serverModel, voice: resolved.agent.voice ?? DEFAULT_VOICE }
      info.agent_name = resolved.name
      info.greeting = greeting

      const key = start.tenantConfig.openai_api_key
      // Events that arrive before the bridge exists wait here; then they go straight to it.
      const early: Array<ModelEvent> = []
      let deliver = (e: ModelEvent): void => void early.push(e)
      const session = yield* RealtimeModel.open({
        onEvent: (e) => deliver(e),
        session: sessionConfig(resolved.agent, tools.list(start.tenantId), limits.silenceMs),
        model: facts.model,
        // A margin before the cap so the switch can wait for a quiet moment.
        recycleAfterMs: Math.round(openaiRealtimeSessionMaxSeconds * 900),
        apiKey: typeof key === "string" && key !== "" && key !== "***" ? Redacted.make(key) : undefined
      })
      reconnects = session.reconnects
      const toolQueue = yield* Queue.unbounded<{ callId: string; name: string; arguments: string }>()
      const activity = { last: performance.now(), caller: 0 }
      const b = new CallBridge(start.twilio, start.streamSid, session, limits.silenceMs, {
        publish: (type, data) => (logs.hasSubscribers(start.tenantId) ? publish(type, data) : undefined),
        toolCall: (c) => Queue.unsafeOffer(toolQueue, c),
        callerActivity: (byCaller) => {
          activity.last = performance.now()
          if (byCaller) activity.caller = activity.last
        }
      })
      bridge = b
      start.takeOver((msg) => {
        if (b.twilioMessage(msg) === "stop") Deferred.unsafeDone(ended, Exit.succeed<EndReason>({ kind: "caller_hangup" }))
      })
      start.twilio.once("close", () => Deferred.unsafeDone(ended, Exit.succeed<EndReason>({ kind: "twilio_closed" })))
      publish("call.started", { agent_name: resolved.name, direction })
      b.requestResponse(greeting ? greetingInstructions(greeting) : undefined)
      deliver = (e) => b.modelEvent(e)
      for (const e of early.splice(0)) b.modelEvent(e)

      yield* Effect.forkScoped(
        Stream.runDrain(session.events).pipe(Effect.catchAll((e) => end({ kind: "model_failed", code: e.code, message: e.message })))
      )
      yield* Effect.forkScoped(
        runTools(toolQueue, {
          bridge: b,
          session,
          functionCalls,
          publish,
          run: (name, args) =>
            tools.run(name, args, {
              tenantId: start.tenantId,
              streamSid: start.streamSid,
              callSid: start.callSid,
              customerPhone: info.customer_phone,
              agentName: resolved.name,
              escalate: (target, reason) => escalate(target, reason, "ai", "cold").pipe(Effect.mapError((message) => new ToolFailed({ message }))),
              endCall: () => end({ kind: "end_call_tool" })
            })
        })
      )
      yield* startTimers(limits, activity, b, end)
      const reason = yield* Deferred.await(ended)
      if (reason.kind === "model_failed") yield* hangUpCall(start.tenantConfig, start.callSid, FALLBACK_LINE)
      else if (HANG_UP_AFTER.has(reason.kind)) yield* hangUpCall(start.tenantConfig, start.callSid)
    })

    const finalize = (exit: Exit.Exit<unknown, unknown>) =>
      Effect.gen(function* () {
        const polled = yield* Deferred.poll(ended)
        const reason: EndReason = polled._tag === "Some" ? yield* polled.value : Exit.isInterrupted(exit) ? { kind: "shutdown" } : { kind: "model_failed", code: "runtime_error", message: "the call runtime failed" }
        if (Exit.isFailure(exit) && !Exit.isInterrupted(exit)) yield* Effect.logError("call runtime failed", { stream_sid: start.streamSid, cause: String(exit.cause) })
        if (start.twilio.readyState === WebSocket.OPEN) start.twilio.close(reason.kind === "shutdown" ? 1001 : 1000)
        publish("call.ended", { reason: reason.kind })
        yield* PendingRecords.submit(finalRecord(facts, bridge, functionCalls, reason, escalation, reconnects()))
      })

    const call: LiveCall = { info, control }
    const run = Effect.scoped(core).pipe(Effect.provideService(Twilio, twilioService), Effect.onExit(finalize))
    return { call, run }
  })
