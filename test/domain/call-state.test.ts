import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import {
  ANSWERED_BY,
  applyCallEvent,
  answeredByFromTwilio,
  CALL_OUTCOMES,
  CALL_STATUSES,
  type CallEvent,
  callStatusFromTwilio,
  finalFields,
  foldCallEvents,
  furthestStatus,
  initialCallState,
  isFinalStatus,
  outcomeOf,
  statusRank
} from "../../src/domain/call-state.js"

const TWILIO_STATUSES = ["queued", "initiated", "ringing", "in-progress", "answered", "completed", "busy", "no-answer", "failed", "canceled"] as const

const status = fc.constantFrom(...CALL_STATUSES)
const answeredBy = fc.constantFrom(...ANSWERED_BY)
const event: fc.Arbitrary<CallEvent> = fc.record(
  {
    status: fc.option(status, { nil: undefined }),
    answeredBy: fc.option(answeredBy, { nil: undefined }),
    durationSeconds: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }),
    at: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 })
  },
  { requiredKeys: ["at"] }
)
/** A callback history, delivered in some order with some callbacks repeated. */
const delivery = fc.array(event, { maxLength: 12 }).chain((events) =>
  fc.shuffledSubarray(events).chain((repeats) => {
    const all = [...events, ...repeats]
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }).map((delivered) => ({ events, delivered }))
  })
)

describe("call state machine", () => {
  test.prop([delivery])("any order and duplication of callbacks lands on the same record", ({ events, delivered }) => {
    expect(foldCallEvents(delivered)).toEqual(foldCallEvents(events))
  })

  test.prop([fc.array(event, { maxLength: 12 })])("the final status is the furthest-progressed event's", (events) => {
    const expected = events.reduce((s, e) => (e.status ? furthestStatus(s, e.status) : s), initialCallState().status)
    expect(foldCallEvents(events).status).toBe(expected)
    for (const e of events) if (e.status) expect(statusRank(foldCallEvents(events).status)).toBeGreaterThanOrEqual(statusRank(e.status))
  })

  test.prop([fc.array(event, { maxLength: 12 })])("no event ever moves a call backwards", (events) => {
    let state = initialCallState()
    for (const e of events) {
      const next = applyCallEvent(state, e)
      expect(statusRank(next.status)).toBeGreaterThanOrEqual(statusRank(state.status))
      if (isFinalStatus(state.status)) expect(isFinalStatus(next.status)).toBe(true)
      if (state.durationSeconds !== null) expect(next.durationSeconds).toBeGreaterThanOrEqual(state.durationSeconds)
      state = next
    }
  })

  test.prop([fc.array(event, { maxLength: 12 })])("outcome and end time exactly when final", (events) => {
    const s = foldCallEvents(events)
    expect(s.outcome === null).toBe(!isFinalStatus(s.status))
    expect(s.outcome).toBe(outcomeOf(s.status, s.answeredBy))
    if (s.endedAt !== null) expect(events.some((e) => e.status && isFinalStatus(e.status) && e.at === s.endedAt)).toBe(true)
  })

  test.prop([status, fc.option(answeredBy, { nil: null })])("outcome normalization is total", (st, ab) => {
    const outcome = outcomeOf(st, ab)
    if (isFinalStatus(st)) expect(CALL_OUTCOMES).toContain(outcome)
    else expect(outcome).toBeNull()
  })

  test.prop([fc.constantFrom(...TWILIO_STATUSES), fc.constantFrom("", " ", "\t")])("every Twilio status maps, in any case and padding", (s, pad) => {
    expect(CALL_STATUSES).toContain(callStatusFromTwilio(`${pad}${s.toUpperCase()}${pad}`))
  })

  test.prop([fc.string()])("unknown AnsweredBy values are 'unknown', never dropped or invented", (raw) => {
    const v = answeredByFromTwilio(raw)
    if (raw.trim() === "") expect(v).toBeUndefined()
    else expect(ANSWERED_BY).toContain(v)
  })

  test.prop([fc.array(event, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 10_000_000 })])("a final record always has an end time and a duration", (events, startedBefore) => {
    const s = foldCallEvents(events)
    const f = finalFields(s, (s.endedAt ?? 1_800_000_000_000) - startedBefore, 1_800_000_000_000)
    if (!isFinalStatus(s.status)) expect(f).toBeNull()
    else {
      expect(f!.durationSeconds).toBeGreaterThanOrEqual(0)
      if (s.durationSeconds !== null) expect(f!.durationSeconds).toBe(s.durationSeconds)
    }
  })

  test("the examples a reader checks first", () => {
    const at = 1_750_000_000_000
    expect(outcomeOf("completed", "machine_end_beep")).toBe("voicemail")
    expect(outcomeOf("completed", "human")).toBe("answered")
    expect(outcomeOf("completed", null)).toBe("answered")
    expect(outcomeOf("completed", "fax")).toBe("failed")
    expect(outcomeOf("canceled", null)).toBe("no_answer")
    expect(outcomeOf("in_progress", "human")).toBeNull()
    // completed arrives before ringing and answered: still completed
    const late = foldCallEvents([{ status: "completed", durationSeconds: 42, at: at + 42_000 }, { status: "queued", at }, { status: "in_progress", at: at + 1000 }])
    expect(late).toMatchObject({ status: "completed", durationSeconds: 42, endedAt: at + 42_000, outcome: "answered" })
    // the AMD verdict after completion still refines the outcome
    expect(applyCallEvent(late, { answeredBy: "machine_start", at })).toMatchObject({ status: "completed", outcome: "voicemail" })
    // DetectMessageEnd: machine_start then machine_end_beep, in either order
    expect(foldCallEvents([{ answeredBy: "machine_end_beep", at }, { answeredBy: "machine_start", at }]).answeredBy).toBe("machine_end_beep")
  })
})
