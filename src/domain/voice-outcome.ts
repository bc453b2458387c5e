/**
 * The canonical outcome of a finished call and what it bills. One pure mapping, so the call
 * runtime, the outbox and analytics agree on what a "resolved" or "billable" call is.
 *
 * | resolution  | when (first rule that holds)                                        | billable SKU          |
 * |-------------|---------------------------------------------------------------------|-----------------------|
 * | (hint)      | the runtime or a tool reported a valid resolution                   | as for that resolution |
 * | failed      | call status `failed` or outcome `failed`                            | —                     |
 * | voicemail   | outcome `voicemail` (answering machine)                             | —                     |
 * | no_answer   | outcome `no_answer`/`busy`, or status `no_answer`/`busy`/`canceled` | —                     |
 * | escalated   | escalated to a human                                                | voice_ai_handoff      |
 * | abandoned   | the caller never spoke, or the call lasted under 10 s               | —                     |
 * | resolved    | otherwise: a conversation the agent carried to its end              | voice_ai_resolution   |
 * | unresolved  | only by hint (e.g. a tool concluded the issue stays open)           | —                     |
 *
 * billing_status starts as `pending_emit` for a billable SKU (the outbox delivers it and moves
 * it to `emitted` or `failed`) and `not_billable` otherwise.
 */

export const RESOLUTIONS = ["resolved", "escalated", "abandoned", "voicemail", "no_answer", "failed", "unresolved"] as const
export type Resolution = (typeof RESOLUTIONS)[number]
export const BILLING_STATUSES = ["not_billable", "pending_emit", "emitted", "failed"] as const
export type BillingStatus = (typeof BILLING_STATUSES)[number]

export const SKU_RESOLUTION = "voice_ai_resolution"
export const SKU_HANDOFF = "voice_ai_handoff"
export const MIN_ENGAGED_SECONDS = 10

const SKU_OF: Readonly<Record<Resolution, string | null>> = {
  resolved: SKU_RESOLUTION,
  escalated: SKU_HANDOFF,
  abandoned: null,
  voicemail: null,
  no_answer: null,
  failed: null,
  unresolved: null
}

export const isResolution = (v: string): v is Resolution => (RESOLUTIONS as ReadonlyArray<string>).includes(v)
export const isBillingStatus = (v: string): v is BillingStatus => (BILLING_STATUSES as ReadonlyArray<string>).includes(v)

export interface OutcomeFacts {
  readonly status: string
  readonly outcome: string | null
  readonly answered_by: string | null
  readonly escalated: boolean
  readonly duration_seconds: number | null
  /** Transcript turns spoken by the caller (role "user"). */
  readonly caller_turns: number
  readonly resolution_hint?: string | null | undefined
}

export interface DerivedOutcome {
  readonly resolution: Resolution
  readonly reason: string
  readonly billable_sku: string | null
  readonly billing_status: BillingStatus
  readonly disposition: {
    readonly call_status: string
    readonly call_outcome: string | null
    readonly answered_by: string | null
    readonly reason: string
  }
}

const resolve = (f: OutcomeFacts): { resolution: Resolution; reason: string } => {
  const hint = f.resolution_hint?.trim()
  if (hint && isResolution(hint)) return { resolution: hint, reason: "reported" }
  if (f.status === "failed" || f.outcome === "failed") return { resolution: "failed", reason: "call_failed" }
  if (f.outcome === "voicemail") return { resolution: "voicemail", reason: "answering_machine" }
  if (f.outcome === "no_answer" || f.outcome === "busy" || ["no_answer", "busy", "canceled"].includes(f.status)) {
    return { resolution: "no_answer", reason: "not_connected" }
  }
  if (f.escalated || f.status === "escalated") return { resolution: "escalated", reason: "handed_to_human" }
  if (f.caller_turns === 0) return { resolution: "abandoned", reason: "caller_never_spoke" }
  if (f.duration_seconds !== null && f.duration_seconds < MIN_ENGAGED_SECONDS) return { resolution: "abandoned", reason: "short_call" }
  return { resolution: "resolved", reason: "conversation_completed" }
}

/** Total: every combination of facts yields exactly one resolution and billing decision. */
export function deriveVoiceOutcome(f: OutcomeFacts): DerivedOutcome {
  const { resolution, reason } = resolve(f)
  const sku = SKU_OF[resolution]
  return {
    resolution,
    reason,
    billable_sku: sku,
    billing_status: sku ? "pending_emit" : "not_billable",
    disposition: { call_status: f.status, call_outcome: f.outcome, answered_by: f.answered_by, reason }
  }
}

/** Transcript entries spoken by the caller. */
export const callerTurns = (transcript: ReadonlyArray<{ readonly role?: unknown }>): number =>
  transcript.filter((t) => t.role === "user").length
