import type { FinalRecord } from "../../effects/PendingRecords.js"
import { summarizeTurnLatencies } from "../domain/percentiles.js"
import type { CallBridge } from "./bridge.js"

export type EndReason =
  | { readonly kind: "caller_hangup" | "twilio_closed" | "idle" | "max_duration" | "end_call_tool" | "escalated" | "shutdown" }
  | { readonly kind: "supervisor_end"; readonly reason: string | null }
  | { readonly kind: "model_failed"; readonly code: string; readonly message: string }

export interface FunctionCallRecord {
  readonly name: string
  readonly arguments: unknown
  readonly result: unknown
  readonly error: string | null
  readonly duration_ms: number
  readonly timestamp: string
}

export interface CallFacts {
  readonly tenantId: string
  readonly streamSid: string
  readonly callSid: string
  readonly direction: "inbound" | "outbound"
  readonly from: string | null
  readonly to: string | null
  readonly startedAt: Date
  readonly agentName: string | null
  readonly agentVersionId: string | null
  readonly model: string
  readonly voice: string
  readonly orgId: string | null
}

export interface Escalation {
  readonly target: string
  readonly reason: string | null
  readonly initiatedBy: "ai" | "supervisor"
}

/** A short extractive summary: the sandbox has no LLM to write one, and neither does a failed call. */
const summaryOf = (bridge: CallBridge | null, end: EndReason): string | null => {
  const t = bridge?.transcript ?? []
  const firstCaller = t.find((e) => e.role === "user")?.content
  const lastAgent = [...t].reverse().find((e) => e.role === "assistant")?.content
  const parts = [firstCaller ? `Caller: ${firstCaller}` : null, lastAgent ? `Agent: ${lastAgent}` : null, `Ended: ${end.kind.replace(/_/g, " ")}.`]
  return parts.filter(Boolean).join(" ").slice(0, 500)
}

/** The call log, voice session and webhook events of a finished call. */
export const finalRecord = (
  facts: CallFacts,
  bridge: CallBridge | null,
  functionCalls: ReadonlyArray<FunctionCallRecord>,
  end: EndReason,
  escalation: Escalation | null,
  reconnects: number
): FinalRecord => {
  const endedAt = new Date()
  const durationMs = endedAt.getTime() - facts.startedAt.getTime()
  const status = end.kind === "model_failed" ? "failed" : escalation ? "escalated" : "completed"
  const transcript = bridge?.transcript ?? []
  const latency = summarizeTurnLatencies(bridge?.latency.turns() ?? [])
  const summary = summaryOf(bridge, end)
  const errorMessage = end.kind === "model_failed" ? `realtime model failed: ${end.code}: ${end.message}` : null
  const customer = facts.direction === "inbound" ? facts.from : facts.to
  const webhooks: Array<FinalRecord["webhooks"][number]> = []
  if (escalation) {
    webhooks.push({
      event: "call.escalated",
      data: { stream_sid: facts.streamSid, call_sid: facts.callSid, from_number: facts.from, initiated_by: escalation.initiatedBy, reason: escalation.reason, target: escalation.target }
    })
  }
  webhooks.push({
    event: "call.completed",
    data: {
      stream_sid: facts.streamSid,
      call_sid: facts.callSid,
      direction: facts.direction,
      duration_seconds: Math.round(durationMs / 1000),
      escalated: escalation !== null,
      from_number: facts.from,
      to_number: facts.to,
      function_call_count: functionCalls.length,
      status,
      summary,
      transcript_turn_count: transcript.length
    }
  })
  return {
    tenantId: facts.tenantId,
    callLog: {
      call_sid: facts.callSid,
      stream_sid: facts.streamSid,
      direction: facts.direction,
      from_number: facts.from,
      to_number: facts.to,
      agent_version_id: facts.agentVersionId,
      model: facts.model,
      voice: facts.voice,
      status,
      started_at: facts.startedAt,
      ended_at: endedAt,
      duration_seconds: Math.round(durationMs / 1000),
      escalated: escalation !== null,
      escalation_reason: escalation?.reason ?? null,
      error_message: errorMessage,
      summary,
      transcript,
      function_calls: functionCalls.map((f) => ({ name: f.name, arguments: f.arguments, result: f.error ? { error: f.error } : f.result, duration_ms: f.duration_ms, timestamp: f.timestamp })),
      latency,
      outcome_details: { agent_name: facts.agentName, call_type: facts.direction, org_id: facts.orgId }
    },
    voiceSession: {
      stream_id: facts.streamSid,
      call_sid: facts.callSid,
      call_type: facts.direction,
      customer_phone: customer,
      agent_name: facts.agentName,
      org_id: facts.orgId,
      model: facts.model,
      voice: facts.voice,
      status: "completed",
      summary,
      transcript,
      function_calls: functionCalls,
      vad_events: bridge?.vadEvents ?? [],
      metadata: {
        end_reason: end.kind,
        dtmf: bridge?.dtmf ?? [],
        model_reconnects: reconnects,
        stale_frames_dropped: bridge?.staleDropped ?? 0,
        model_errors: bridge?.errors ?? [],
        latency
      },
      turn_count: bridge?.turns ?? 0,
      duration_ms: durationMs,
      started_at: facts.startedAt,
      ended_at: endedAt
    },
    webhooks
  }
}
