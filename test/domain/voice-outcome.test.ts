import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { CALL_OUTCOMES, CALL_STATUSES } from "../../src/domain/call-log-query.js"
import { callerTurns, deriveVoiceOutcome, type OutcomeFacts, RESOLUTIONS, SKU_HANDOFF, SKU_RESOLUTION } from "../../src/domain/voice-outcome.js"

const facts = fc.record({
  status: fc.constantFrom(...CALL_STATUSES),
  outcome: fc.constantFrom(null, ...CALL_OUTCOMES),
  answered_by: fc.constantFrom(null, "human", "machine_start"),
  escalated: fc.boolean(),
  duration_seconds: fc.option(fc.nat(3600), { nil: null }),
  caller_turns: fc.nat(20),
  resolution_hint: fc.constantFrom(undefined, null, "", "resolved", "unresolved", "nonsense", "escalated")
})

const base: OutcomeFacts = { status: "completed", outcome: "answered", answered_by: "human", escalated: false, duration_seconds: 120, caller_turns: 4 }

describe("deriveVoiceOutcome", () => {
  test.prop([facts])("is total and bills exactly resolved and escalated calls", (f) => {
    const o = deriveVoiceOutcome(f)
    expect(RESOLUTIONS).toContain(o.resolution)
    const sku = o.resolution === "resolved" ? SKU_RESOLUTION : o.resolution === "escalated" ? SKU_HANDOFF : null
    expect(o.billable_sku).toBe(sku)
    expect(o.billing_status).toBe(sku ? "pending_emit" : "not_billable")
    expect(o.disposition).toEqual({ call_status: f.status, call_outcome: f.outcome, answered_by: f.answered_by, reason: o.reason })
  })

  test.prop([facts, fc.constantFrom(...RESOLUTIONS)])("a valid reported resolution always wins", (f, hint) => {
    expect(deriveVoiceOutcome({ ...f, resolution_hint: hint }).resolution).toBe(hint)
  })

  it.each<[Partial<OutcomeFacts>, string]>([
    [{}, "resolved"],
    [{ status: "failed" }, "failed"],
    [{ outcome: "failed" }, "failed"],
    [{ outcome: "voicemail" }, "voicemail"],
    [{ outcome: "busy" }, "no_answer"],
    [{ status: "canceled", outcome: null }, "no_answer"],
    [{ escalated: true }, "escalated"],
    [{ status: "escalated" }, "escalated"],
    [{ caller_turns: 0 }, "abandoned"],
    [{ duration_seconds: 9 }, "abandoned"],
    [{ duration_seconds: 10 }, "resolved"],
    [{ duration_seconds: null }, "resolved"],
    // A failed call that was also escalated is a failure: the first rule wins.
    [{ status: "failed", escalated: true }, "failed"]
  ])("%j → %s", (patch, resolution) => {
    expect(deriveVoiceOutcome({ ...base, ...patch }).resolution).toBe(resolution)
  })

  it("counts caller turns by role", () => {
    expect(callerTurns([{ role: "user" }, { role: "assistant" }, { role: "user" }, {}])).toBe(2)
  })
})
