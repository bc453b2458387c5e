import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { finalize } from "../support/call-records.js"

let t: TestApp
let token: string
let tokenB: string
const VERSION = "22222222-2222-4222-8222-222222222222"

/** session stream → score as sent, tags; scores are sent on both scales. */
const EVALS: ReadonlyArray<readonly [string, number, ReadonlyArray<string>]> = [
  ["MZev0", 0.95, ["vip", "polite"]],
  ["MZev1", 85, ["polite"]],
  ["MZev2", 0.5, []],
  ["MZev3", 70, ["vip"]],
  ["MZev4", 1, ["perfect"]],
  ["MZev5", 12.5, ["rude", "vip"]]
]
const normalized = (x: number) => (x <= 1 ? x : x / 100)

const record = (body: Record<string, unknown>, tok = token) => t.request("/api/v1/automations/voice/evaluation", { token: tok, body })

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("ev-a")
  await t.createTenant("ev-b")
  token = (await t.createKey("ev-a")).token
  tokenB = (await t.createKey("ev-b")).token
  for (const [i, [stream]] of EVALS.entries()) {
    const created = await t.request("/api/v1/voice-sessions", { token, body: { stream_id: stream, call_sid: `CAev${i}`, agent_name: "Ava" } })
    expect(created.status).toBe(201)
    // Even sessions have a call log that knows the agent version; odd ones have none.
    if (i % 2 === 0) await finalize(t, "ev-a", { stream_sid: stream, call_sid: `CAev${i}`, agent_version_id: VERSION })
  }
  for (const [stream, score, tags] of EVALS) {
    const r = await record({ session_id: stream, score, tags, rubric: { empathy: 4 }, notes: `n-${stream}`, source: "qa" })
    expect(r.status, r.text).toBe(200)
  }
})
afterAll(async () => t?.close())

describe("POST /api/v1/automations/voice/evaluation", () => {
  it("stores a normalised score linked to the session, its call log and agent version", async () => {
    const r = await t.request("/api/v1/automations/voice/get-eval", { token, body: { session_id: "MZev0" } })
    expect(r.status).toBe(200)
    expect(validatorOf("AutomationResponse")(r.json)).toBe(true)
    const e = r.json.result as Record<string, unknown>
    expect(validatorOf("VoiceSessionEval")(e), JSON.stringify(validatorOf("VoiceSessionEval").errors)).toBe(true)
    expect(e).toMatchObject({ session_id: "MZev0", stream_id: "MZev0", score: 0.95, tags: ["vip", "polite"], rubric: { empathy: 4 }, notes: "n-MZev0", source: "qa", agent_version_id: VERSION, agent_name: "Ava" })
    expect(typeof e.call_log_id).toBe("string")
  })

  it("without a call log, call_log_id and agent_version_id are null (not invented)", async () => {
    const r = await t.request("/api/v1/voice-session-evals/by-session/MZev1", { token })
    expect(r.json).toMatchObject({ score: 0.85, call_log_id: null, agent_version_id: null })
  })

  it("recording again replaces the session's evaluation; the session can be named by id, stream or call SID", async () => {
    const session = await t.request("/api/v1/voice-sessions/by-stream/MZev2", { token })
    const again = await record({ session_id: String(session.json.id), score: 0.55, tags: ["retry"] })
    expect(again.status).toBe(200)
    const byStream = await t.request("/api/v1/voice-session-evals/by-session/MZev2", { token })
    const byId = await t.request(`/api/v1/voice-session-evals/by-session/${String(session.json.id)}`, { token })
    const byCallSid = await t.request("/api/v1/automations/voice/get-eval", { token, body: { call_sid: "CAev2" } })
    expect(byStream.json).toMatchObject({ score: 0.55, tags: ["retry"] })
    expect(byId.json).toEqual(byStream.json)
    expect(byCallSid.json.result).toEqual(byStream.json)
    await record({ session_id: "MZev2", score: 0.5, tags: [] })
  })

  it.each([
    [{ session_id: "MZev0", score: 150 }, 400, "score"],
    [{ session_id: "MZev0", score: -1 }, 400, "score"],
    [{ session_id: "MZev0" }, 400, "score"],
    [{ score: 0.5 }, 400, "session_id"],
    [{ session_id: "MZev0", score: 0.5, agent_version_id: "v7" }, 400, "agent_version_id"],
    // The contract documents only 400 for automations: an unknown session is a bad payload.
    [{ session_id: "MZnone", score: 0.5 }, 400, "voice session not found"]
  ])("%j → %i AutomationResponse", async (body, status, text) => {
    const r = await record(body)
    expect(r.status, r.text).toBe(status)
    expect(validatorOf("AutomationResponse")(r.json)).toBe(true)
    expect(r.json.ok).toBe(false)
    expect(String(r.json.error)).toContain(text)
  })

  it("without a bearer: 401 (tenant envelope: AutomationResponse covers only the documented 400)", async () => {
    const r = await t.request("/api/v1/automations/voice/evaluation", { body: { session_id: "MZev0", score: 1 } })
    expect(r.status).toBe(401)
    expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
  })
})

describe("GET /api/v1/voice-session-evals", () => {
  const list = async (q: string) => {
    const r = await t.request(`/api/v1/voice-session-evals?${q}`, { token })
    expect(r.status, r.text).toBe(200)
    return (r.json.evals as Array<{ stream_id: string }>).map((e) => e.stream_id).sort()
  }
  const want = (f: (score: number, tags: ReadonlyArray<string>) => boolean) =>
    EVALS.filter(([, s, tags]) => f(normalized(s), tags))
      .map(([stream]) => stream)
      .sort()

  it.each<[string, (score: number, tags: ReadonlyArray<string>) => boolean]>([
    ["", () => true],
    ["min_score=0.8", (s) => s >= 0.8],
    ["min_score=80", (s) => s >= 0.8],
    ["max_score=0.7", (s) => s <= 0.7],
    ["min_score=0.5&max_score=0.9", (s) => s >= 0.5 && s <= 0.9],
    ["tag=vip", (_s, tags) => tags.includes("vip")],
    ["tag=vip&min_score=0.6", (s, tags) => tags.includes("vip") && s >= 0.6]
  ])("?%s", async (q, f) => {
    expect(await list(q)).toEqual(want(f))
  })

  it.each(["min_score=101", "max_score=-1", "min_score=0.9&max_score=0.1", "limit=0", "limit=500"])("?%s → 400", async (q) => {
    expect((await t.request(`/api/v1/voice-session-evals?${q}`, { token })).status).toBe(400)
  })

  it("stats equal the reference", async () => {
    const r = await t.request("/api/v1/voice-session-evals/stats", { token })
    expect(validatorOf("VoiceSessionEvalStats")(r.json)).toBe(true)
    const scores = EVALS.map(([, s]) => normalized(s))
    expect(r.json.total_evals).toBe(EVALS.length)
    expect(r.json.evals_last_24h).toBe(EVALS.length)
    expect(r.json.avg_score).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 10)
    expect(r.json.high_quality_rate).toBeCloseTo(scores.filter((s) => s >= 0.8).length / scores.length, 10)
  })
})

describe("isolation", () => {
  it("tenant B sees none of A's evaluations and cannot record against A's sessions", async () => {
    expect((await t.request("/api/v1/voice-session-evals", { token: tokenB })).json.evals).toEqual([])
    expect((await t.request("/api/v1/voice-session-evals/stats", { token: tokenB })).json).toMatchObject({ total_evals: 0, avg_score: null, high_quality_rate: null })
    expect((await t.request("/api/v1/voice-session-evals/by-session/MZev0", { token: tokenB })).status).toBe(404)
    const foreign = await t.request("/api/v1/automations/voice/get-eval", { token: tokenB, body: { session_id: "MZev0" } })
    expect(foreign.status).toBe(400)
    expect(foreign.json).toMatchObject({ ok: false, error: "voice session not found: MZev0" })
    const session = await t.request("/api/v1/voice-sessions/by-stream/MZev0", { token })
    expect((await t.request(`/api/v1/voice-session-evals/by-session/${String(session.json.id)}`, { token: tokenB })).status).toBe(404)
    expect((await record({ session_id: String(session.json.id), score: 0.1 }, tokenB)).json).toMatchObject({ ok: false, error: `voice session not found: ${String(session.json.id)}` })
    expect((await t.request("/api/v1/voice-session-evals/by-session/MZev0", { token })).json).toMatchObject({ score: 0.95 })
  })
})
