import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { startSandboxModel, type SandboxModel } from "../../src/sandbox/model/server.js"
import { dial, finalLog, waitFor } from "../media/support.js"
import { startTestApp, type TestApp } from "../support/app.js"

const TENANT = "sess-acme"
let model: SandboxModel
let t: TestApp
let token: string

beforeAll(async () => {
  model = await startSandboxModel({ replies: [{ text: "Okay.", audioMs: 400 }], deltaMs: 100 })
  t = await startTestApp({ OPENAI_REALTIME_URL: model.url })
  await t.createTenant(TENANT, { greeting: "Hi." })
  await t.createTenant("sess-other", {})
  token = (await t.createKey(TENANT)).token
})
afterAll(async () => {
  await t?.close()
  await model?.close()
})

describe("live sessions and supervision", () => {
  test("list, act on and end a live call; every action is stored", async () => {
    const { callSid, session } = await dial(t, TENANT, [{ kind: "silence", ms: 15_000 }, { kind: "hangup" }])
    await waitFor(() => model.connectionCount() >= 1, 5000, "model session")
    const list = await t.request("/api/v1/sessions", { token })
    expect(list.status).toBe(200)
    const sessions = list.json.sessions as Array<Record<string, unknown>>
    expect(sessions).toHaveLength(1)
    const streamSid = sessions[0]!.stream_sid as string
    expect(sessions[0]).toMatchObject({ escalated: false, call_type: "inbound", customer_phone: "+15555550100" })

    const admin = await t.request("/api/v1/admin/sessions", { admin: true })
    expect(admin.json).toMatchObject({ ok: true, count: 1 })

    const bad = await t.request(`/api/v1/sessions/${streamSid}/actions/dance`, { token, body: {} })
    expect(bad.status).toBe(400)
    expect(bad.json.ok).toBe(false)
    expect(typeof bad.json.message).toBe("string")
    const missing = await t.request(`/api/v1/sessions/MZnope/actions/monitor`, { token, body: {} })
    expect(missing.status).toBe(404)
    expect(missing.json.ok).toBe(false)
    const otherToken = (await t.createKey("sess-other")).token
    expect((await t.request(`/api/v1/sessions/${streamSid}/actions/monitor`, { token: otherToken, body: {} })).status).toBe(404)

    const whisper = await t.request(`/api/v1/sessions/${streamSid}/actions/whisper`, { token, body: { note: "Offer 15% off", supervisor: "dash" } })
    expect(whisper.json).toEqual({ ok: true, message: "Whisper delivered" })
    await waitFor(() => model.received.some((r) => JSON.stringify(r.event).includes("Offer 15% off")), 3000, "whisper at the model")
    const whispered = model.received.find((r) => JSON.stringify(r.event).includes("Offer 15% off"))!.event
    expect(whispered).toMatchObject({ type: "conversation.item.create", item: { role: "system" } })

    const end = await t.request(`/api/v1/sessions/${streamSid}/actions/end`, { token, body: { reason: "done" } })
    expect(end.json).toEqual({ ok: true, message: "Call ended" })
    void session.done
    const log = await finalLog(t, TENANT, callSid)
    expect(log.status).toBe("completed")

    const actions = await t.request(`/api/v1/supervisor-actions?stream_sid=${streamSid}`, { token })
    expect((actions.json as unknown as Array<{ action: string }>).map((a) => a.action)).toEqual(["end", "whisper"])
    const filtered = await t.request(`/api/v1/admin/supervisor-actions?tenant_id=${TENANT}&action=whisper`, { admin: true })
    expect(filtered.json).toMatchObject({ ok: true, count: 1, actions: [{ supervisor: "dash", note: "Offer 15% off", call_sid: callSid }] })
    expect((await t.request("/api/v1/supervisor-actions", { token: otherToken })).json).toEqual([])
  })

  test("tools, test-function and log stats", async () => {
    const tools = await t.request("/tools", { token })
    expect(tools.json.count).toBe(3)
    const ok = await t.request("/test-function", { token, body: { name: "get_current_time", args: {} } })
    expect(ok.status).toBe(200)
    expect(ok.json.ok).toBe(true)
    const unknown = await t.request("/test-function", { token, body: { name: "nope", args: {} } })
    expect(unknown.status).toBe(500)
    expect(unknown.json).toMatchObject({ ok: false, error: "Function not found: nope" })
    const stats = await t.request("/api/v1/logs/stats", { token })
    expect(stats.json).toMatchObject({ ok: true, tenant: TENANT, connectedClients: 0 })
    const esc = await t.request("/api/v1/automations/escalate-call", { token, body: { call_sid: "CA1", reason: "x" } })
    expect(esc.status).toBe(400)
    expect(esc.json.ok).toBe(false)
  })
})
