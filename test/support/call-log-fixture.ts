import { CallLogs } from "../../effects/CallLogs.js"
import type { CallOutcome, CallStatus } from "../../src/domain/call-log-query.js"
import type { TestApp } from "./app.js"
import { finalCall } from "./call-records.js"

/**
 * One tenant, 40 calls whose every attribute is a function of their index, so each filter's
 * answer is computed here from the same table (the reference) and compared with the API's.
 */
export interface Spec {
  readonly i: number
  id: string
  readonly status: CallStatus
  readonly outcome: CallOutcome | null
  readonly direction: "inbound" | "outbound"
  readonly from: string
  readonly to: string
  readonly escalated: boolean
  readonly startedAt: Date
  readonly duration: number | null
  readonly text: string
  readonly callSid: string
  readonly latency: { p50: number; p95: number; p99: number; avg: number; max: number; e2e: number } | null
}

export const N = 40
export const NOW = Date.now()
const STATUSES: ReadonlyArray<CallStatus> = ["completed", "completed", "failed", "busy", "no_answer", "canceled", "escalated", "completed", "in_progress", "queued"]
const OUTCOME: Record<CallStatus, CallOutcome | null> = {
  completed: "answered",
  failed: "failed",
  busy: "busy",
  no_answer: "no_answer",
  canceled: null,
  escalated: "answered",
  in_progress: null,
  queued: null
}

export const specOf = (i: number): Spec => {
  const status = STATUSES[i % STATUSES.length]!
  const live = status === "queued" || status === "in_progress"
  const words = ["Hello, thanks for calling."]
  if (i % 3 === 0) words.push("I need a REFUND for my last purchase.")
  if (i % 4 === 1) words.push("What is my order status today?")
  if (i % 5 === 0) words.push("Billing question.")
  return {
    i,
    id: "",
    status,
    outcome: status === "completed" && i % 3 === 0 ? "voicemail" : OUTCOME[status],
    direction: i % 2 === 0 ? "inbound" : "outbound",
    from: `+1555000000${i % 4}`,
    to: `+1555999000${i % 3}`,
    escalated: status === "escalated" || i % 7 === 0,
    startedAt: new Date(NOW - 30 * 60_000 - i * 3_600_000),
    duration: live ? null : (i * 37) % 400,
    text: words.join(" "),
    callSid: `CAfilter${i}`,
    latency: live || status === "canceled" ? null : { p50: 200 + i * 3, p95: 400 + ((i * 53) % 300), p99: 700 + ((i * 71) % 500), avg: 250 + i, max: 900 + i, e2e: 600 + ((i * 29) % 400) }
  }
}

/** The fixture's tenant. */
export const TENANT = "tenant-a"

/** Writes one spec's call the way production does (make-call + callbacks, or the runtime's finalize). */
export const seedSpec = async (t: TestApp, s: Spec) => {
  if (s.status === "queued" || s.status === "in_progress") {
    const row = await t.app.runtime.runPromise(CallLogs.createQueued(TENANT, { call_sid: s.callSid, direction: s.direction, from_number: s.from, to_number: s.to }))
    const patch = s.status === "in_progress" ? { status: s.status, stream_sid: `MZfilter${s.i}` } : {}
    await t.app.runtime.runPromise(CallLogs.update(TENANT, row.id, { ...patch, started_at: s.startedAt, escalated: s.escalated }))
    s.id = row.id
    return
  }
  const l = s.latency
  const { callLog } = await t.app.runtime.runPromise(
    CallLogs.finalize(
      TENANT,
      finalCall({
        call_sid: s.callSid,
        stream_sid: `MZfilter${s.i}`,
        direction: s.direction,
        status: s.status,
        outcome: s.outcome,
        from_number: s.from,
        to_number: s.to,
        escalated: s.escalated,
        started_at: s.startedAt,
        ended_at: new Date(s.startedAt.getTime() + (s.duration ?? 0) * 1000),
        duration_seconds: s.duration,
        transcript: [{ role: "user", content: s.text, timestamp: s.startedAt.toISOString() }],
        function_calls: s.i % 6 === 0 ? [{ name: "lookup_order", arguments: { id: s.i }, result: { ok: true }, duration_ms: 12, timestamp: s.startedAt.toISOString() }] : [],
        latency: l
          ? {
              turns: 1 + (s.i % 5),
              llm_first_token: { avg_ms: l.avg, p50_ms: l.p50, p95_ms: l.p95, p99_ms: l.p99, max_ms: l.max },
              e2e_first_audio: { avg_ms: l.e2e, p50_ms: l.e2e, p95_ms: l.e2e + 50, p99_ms: l.e2e + 90, max_ms: l.e2e + 100 }
            }
          : null
      })
    )
  )
  s.id = callLog.id
}

export const specs: Array<Spec> = Array.from({ length: N }, (_, i) => specOf(i))

export type Query = Record<string, string | number | boolean | undefined>

const hasWords = (text: string, phrase: string) => new RegExp(`\\b${phrase.split(/\s+/).join("\\W+")}\\b`, "i").test(text)

/** The reference semantics of every filter, over the seeded table. */
export const reference = (q: Query) =>
  specs
    .filter((s) => q.status === undefined || s.status === q.status)
    .filter((s) => q.outcome === undefined || s.outcome === q.outcome)
    .filter((s) => q.direction === undefined || s.direction === q.direction)
    .filter((s) => q.from_number === undefined || s.from === q.from_number)
    .filter((s) => q.to_number === undefined || s.to === q.to_number)
    .filter((s) => q.escalated === undefined || s.escalated === q.escalated)
    .filter((s) => q.from_date === undefined || s.startedAt.getTime() >= new Date(String(q.from_date)).getTime())
    .filter((s) => q.to_date === undefined || s.startedAt.getTime() < new Date(String(q.to_date)).getTime())
    .filter((s) => q.min_duration === undefined || (s.duration !== null && s.duration >= Number(q.min_duration)))
    .filter((s) => q.max_duration === undefined || (s.duration !== null && s.duration <= Number(q.max_duration)))
    .filter((s) => q.transcript_search === undefined || (s.status !== "queued" && s.status !== "in_progress" && hasWords(s.text, String(q.transcript_search))))
    .filter((s) => q.call_sid === undefined || s.callSid === q.call_sid)
    .map((s) => s.id)
    .sort()

export const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString()

/** Postgres percentile_cont, written out independently of src/domain/percentiles.ts. */
export const referencePercentile = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * p
  const lo = Math.floor(pos)
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo)
}


/** Tenants "tenant-a" (the 40 calls) and "tenant-b" (nothing), with an API key each. */
export const seedFixture = async (t: TestApp) => {
  await t.createTenant(TENANT)
  await t.createTenant("tenant-b")
  const tokenA = (await t.createKey(TENANT)).token
  const tokenB = (await t.createKey("tenant-b")).token
  for (const s of specs) await seedSpec(t, s)
  return { tokenA, tokenB }
}
