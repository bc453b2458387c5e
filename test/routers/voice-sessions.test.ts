import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { VoiceSessions } from "../../effects/VoiceSessions.js"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"

let t: TestApp
let token: string
let tokenB: string
const NOW = Date.now()

interface Seed {
  readonly stream_id: string
  readonly status: string
  readonly agent_name: string
  readonly summary: string
  readonly customer_phone: string
  readonly text: string
  readonly hoursAgo: number
}

const seeds: ReadonlyArray<Seed> = Array.from({ length: 12 }, (_, i) => ({
  stream_id: `MZsess${i}`,
  status: ["active", "completed", "transferred", "failed"][i % 4]!,
  agent_name: i % 2 === 0 ? "Ava Support" : "Max Sales",
  summary: i % 3 === 0 ? "Customer asked for a refund" : "Routine question",
  customer_phone: `+1415555${String(1000 + i)}`,
  text: i % 4 === 1 ? "Where is my parcel tracking number" : "Good morning",
  hoursAgo: i * 2
}))

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("sess-a")
  await t.createTenant("sess-b")
  token = (await t.createKey("sess-a")).token
  tokenB = (await t.createKey("sess-b")).token
  for (const s of seeds) {
    const started = new Date(NOW - s.hoursAgo * 3_600_000)
    await t.app.runtime.runPromise(
      VoiceSessions.upsertByStream("sess-a", {
        stream_id: s.stream_id,
        status: s.status,
        agent_name: s.agent_name,
        summary: s.summary,
        customer_phone: s.customer_phone,
        transcript: [{ role: "user", content: s.text, timestamp: started.toISOString() }],
        started_at: started,
        ended_at: s.status === "active" ? null : new Date(started.getTime() + 60_000)
      })
    )
  }
})
afterAll(async () => t?.close())

const list = async (q: string, tok = token) => {
  const r = await t.request(`/api/v1/voice-sessions?${q}`, { token: tok })
  expect(r.status, r.text).toBe(200)
  return (r.json.sessions as Array<{ stream_id: string }>).map((s) => s.stream_id)
}
const streams = (f: (s: Seed) => boolean, order: "asc" | "desc" = "desc") =>
  seeds
    .filter(f)
    .sort((a, b) => (order === "desc" ? a.hoursAgo - b.hoursAgo : b.hoursAgo - a.hoursAgo))
    .map((s) => s.stream_id)

describe("POST /api/v1/voice-sessions", () => {
  it("creates a session (201, VoiceSession); a second one for the stream is 409", async () => {
    const body = { stream_id: "MZnew1", call_sid: "CAnew1", agent_name: "Ava", status: "completed", duration_ms: 5000, tags: ["vip"], transcript: [{ role: "user", content: "hi" }], metadata: { a: 1 } }
    const r = await t.request("/api/v1/voice-sessions", { token, body })
    expect(r.status, r.text).toBe(201)
    expect(validatorOf("VoiceSession")(r.json), JSON.stringify(validatorOf("VoiceSession").errors)).toBe(true)
    expect(r.json).toMatchObject({ stream_id: "MZnew1", tenant_id: "sess-a", status: "completed", tags: ["vip"], turn_count: 1, metadata: { a: 1 }, duration_ms: 5000 })
    expect(Date.parse(String(r.json.ended_at)) - Date.parse(String(r.json.started_at))).toBe(5000)

    const dup = await t.request("/api/v1/voice-sessions", { token, body: { stream_id: "MZnew1" } })
    expect(dup.status).toBe(409)
    expect(validatorOf("ErrorResponse")(dup.json)).toBe(true)
    // Another tenant may use the same stream id: uniqueness is per tenant.
    expect((await t.request("/api/v1/voice-sessions", { token: tokenB, body: { stream_id: "MZnew1" } })).status).toBe(201)
  })

  it("an active session has no end yet", async () => {
    const r = await t.request("/api/v1/voice-sessions", { token, body: { stream_id: "MZnew2" } })
    expect(r.json).toMatchObject({ status: "active", ended_at: null, tags: [], transcript: [], turn_count: 0 })
  })

  it.each([
    [{}, "stream_id"],
    [{ stream_id: "" }, "stream_id"],
    [{ stream_id: "MZbad", status: "ringing" }, "status"],
    [{ stream_id: "MZbad", transcript: "hello" }, "transcript"],
    [{ stream_id: "MZbad", duration_ms: -1 }, "duration_ms"]
  ])("%j → 400", async (body, field) => {
    const r = await t.request("/api/v1/voice-sessions", { token, body })
    expect(r.status, r.text).toBe(400)
    expect(String(r.json.error)).toContain(field)
  })
})

describe("GET /api/v1/voice-sessions", () => {
  it.each<[string, (s: Seed) => boolean]>([
    ["status=completed", (s) => s.status === "completed"],
    ["status=active", (s) => s.status === "active"],
    ["search=refund", (s) => s.summary.includes("refund")],
    ["search=ava", (s) => s.agent_name.startsWith("Ava")],
    ["search=tracking%20number", (s) => s.text.includes("tracking number")],
    ["search=%2B14155551003", (s) => s.customer_phone === "+14155551003"],
    ["search=555100", (s) => s.customer_phone.includes("555100")],
    [`started_after=${encodeURIComponent(new Date(NOW - 9 * 3_600_000).toISOString())}`, (s) => s.hoursAgo < 9],
    [`status=failed&search=max&started_after=${encodeURIComponent(new Date(NOW - 30 * 3_600_000).toISOString())}`, (s) => s.status === "failed" && s.agent_name.startsWith("Max") && s.hoursAgo < 30]
  ])("?%s", async (q, f) => {
    const want = streams(f)
    expect(want.length).toBeGreaterThan(0)
    expect((await list(`${q}&limit=200`)).filter((s) => s.startsWith("MZsess"))).toEqual(want)
  })

  it("sorts by started_at asc or desc and pages by limit/offset", async () => {
    const all = (await list("limit=200&sort=asc")).filter((s) => s.startsWith("MZsess"))
    expect(all).toEqual(streams(() => true, "asc"))
    const desc = await list("limit=200")
    const p1 = await list("limit=3")
    const p2 = await list("limit=3&offset=3")
    expect([...p1, ...p2]).toEqual(desc.slice(0, 6))
  })

  it.each(["status=done", "sort=sideways", "limit=201", "limit=0", "offset=-1", "started_after=today"])("?%s → 400", async (q) => {
    const r = await t.request(`/api/v1/voice-sessions?${q}`, { token })
    expect(r.status).toBe(400)
    expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
  })
})

describe("GET /api/v1/voice-sessions/{id} and /by-stream/{stream_id}", () => {
  it("finds by id and by stream", async () => {
    const byStream = await t.request("/api/v1/voice-sessions/by-stream/MZsess1", { token })
    expect(byStream.status).toBe(200)
    expect(validatorOf("VoiceSession")(byStream.json)).toBe(true)
    const byId = await t.request(`/api/v1/voice-sessions/${String(byStream.json.id)}`, { token })
    expect(byId.json).toEqual(byStream.json)
  })

  it("unknown, malformed and other tenants' sessions are 404", async () => {
    const a = await t.request("/api/v1/voice-sessions/by-stream/MZsess1", { token })
    for (const [path, tok] of [
      [`/api/v1/voice-sessions/${String(a.json.id)}`, tokenB],
      ["/api/v1/voice-sessions/by-stream/MZsess1", tokenB],
      ["/api/v1/voice-sessions/not-a-uuid", token],
      ["/api/v1/voice-sessions/00000000-0000-4000-8000-000000000000", token],
      ["/api/v1/voice-sessions/by-stream/MZnope", token]
    ] as const) {
      const r = await t.request(path, { token: tok })
      expect(r.status, path).toBe(404)
      expect(validatorOf("ErrorResponse")(r.json)).toBe(true)
    }
    expect(await list("limit=200", tokenB)).toEqual(["MZnew1"])
  })
})

describe("VoiceSessions.upsertByStream (call runtime)", () => {
  it("creates, then updates only the fields given", async () => {
    const first = await t.app.runtime.runPromise(VoiceSessions.upsertByStream("sess-a", { stream_id: "MZrt", agent_name: "Ava", customer_phone: "+15550001111" }))
    expect(first).toMatchObject({ status: "active", agent_name: "Ava", turn_count: 0 })
    const ended = new Date()
    const second = await t.app.runtime.runPromise(
      VoiceSessions.upsertByStream("sess-a", {
        stream_id: "MZrt",
        status: "completed",
        transcript: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }],
        vad_events: [{ type: "speech_started", at_ms: 10 }],
        duration_ms: 42_000,
        ended_at: ended
      })
    )
    expect(second).toMatchObject({ id: first.id, status: "completed", agent_name: "Ava", customer_phone: "+15550001111", turn_count: 2, duration_ms: 42_000, ended_at: ended.toISOString() })
    expect(second.vad_events).toEqual([{ type: "speech_started", at_ms: 10 }])
  })
})
