import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentApi } from "../../support/agents.js"
import { startTestApp, type TestApp } from "../../support/app.js"

let t: TestApp
let api: ReturnType<typeof agentApi>
let tenantKey: string
beforeAll(async () => {
  t = await startTestApp()
  api = agentApi(t)
  await t.createTenant("acme")
  await t.createTenant("globex")
  tenantKey = (await t.createKey("acme")).token
})
afterAll(async () => t?.close())

type Json = Record<string, unknown>
const versionsOf = async (tenant: string, agentId?: string) => {
  const r = await t.request(`/api/v1/admin/tenants/${tenant}/agent-versions${agentId ? `?agent_id=${agentId}` : ""}`, { admin: true })
  expect(r.status, r.text).toBe(200)
  return r.json.versions as Array<Json>
}

describe("agents", () => {
  it("creates and lists agents; agent_key is unique per tenant", async () => {
    const agent = await api.createAgent("acme", "support_primary", "Support")
    expect(agent).toMatchObject({ tenant_id: "acme", agent_key: "support_primary", name: "Support", description: null })
    expect(agent.id).toMatch(/^[0-9a-f-]{36}$/)

    const dup = await t.request("/api/v1/admin/tenants/acme/agents", { method: "POST", admin: true, body: { agent_key: "support_primary", name: "Again" } })
    expect(dup.status).toBe(409)
    expect(dup.json).toEqual({ ok: false, error: expect.stringContaining("support_primary") })

    // The same key in another tenant is a different agent.
    await api.createAgent("globex", "support_primary")

    const list = await t.request("/api/v1/admin/tenants/acme/agents", { admin: true })
    expect(list.status).toBe(200)
    expect(list.json.count).toBe(1)
    expect((list.json.agents as Array<Json>).map((a) => a.agent_key)).toEqual(["support_primary"])
  })

  it("rejects bad input with the admin envelope", async () => {
    const badKey = await t.request("/api/v1/admin/tenants/acme/agents", { method: "POST", admin: true, body: { agent_key: "has space", name: "x" } })
    expect(badKey.status).toBe(400)
    expect(badKey.json.ok).toBe(false)
    const noName = await t.request("/api/v1/admin/tenants/acme/agents", { method: "POST", admin: true, body: { agent_key: "k" } })
    expect(noName.status).toBe(400)
    const unknownTenant = await t.request("/api/v1/admin/tenants/nobody/agents", { method: "POST", admin: true, body: { agent_key: "k", name: "n" } })
    expect(unknownTenant.status).toBe(404)
    expect(unknownTenant.json).toEqual({ ok: false, error: expect.any(String) })
  })

  it("is admin-only: no credential 401, a tenant key 403", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/admin/tenants/acme/agents"],
      ["POST", "/api/v1/admin/tenants/acme/agents"],
      ["GET", "/api/v1/admin/tenants/acme/agent-versions"],
      ["POST", "/api/v1/admin/tenants/acme/agent-versions"]
    ] as const) {
      const body = method === "POST" ? { agent_key: "x", name: "x" } : undefined
      const anonymous = await t.request(path, { method, body })
      expect(anonymous.status, `${method} ${path}`).toBe(401)
      expect(anonymous.json.ok).toBe(false)
      const tenant = await t.request(path, { method, body, token: tenantKey })
      expect(tenant.status, `${method} ${path}`).toBe(403)
      expect(tenant.json.ok).toBe(false)
    }
    const list = await t.request("/api/v1/admin/tenants/acme/agents", { admin: true })
    expect(list.json.count).toBe(1)
  })
})

describe("agent versions", () => {
  it("numbers versions per agent and stores the config as given", async () => {
    const agent = await api.createAgent("acme", "sales")
    const v1 = await api.createVersion("acme", agent.id as string, { greeting: "Hello", voice: "alloy", unknown_key: "dropped" })
    expect(v1).toMatchObject({ version_number: 1, status: "draft", agent_key: "sales", agent_name: "sales", published_at: null, tenant_id: "acme" })
    expect(v1.config).toEqual({ agent_name: null, assistant_profile: null, chat_model: null, greeting: "Hello", instructions: null, realtime_model: null, voice: "alloy" })
    const v2 = await api.createVersion("acme", agent.id as string)
    expect(v2.version_number).toBe(2)
    expect((await versionsOf("acme", agent.id as string)).map((v) => v.version_number)).toEqual([2, 1])
  })

  it("gives 20 concurrent creations the numbers 1..20 once each", async () => {
    const agent = await api.createAgent("acme", "concurrent")
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => api.createVersion("acme", agent.id as string, { greeting: `g${i}` })))
    expect(created.map((v) => v.version_number).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const stored = await versionsOf("acme", agent.id as string)
    expect(stored.map((v) => v.version_number)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i))
  })

  it("publishing leaves exactly one published version; the previous stays readable and unchanged", async () => {
    const agent = await api.createAgent("acme", "publisher")
    const id = agent.id as string
    const v1 = await api.createVersion("acme", id, { instructions: "first" })
    const v2 = await api.createVersion("acme", id, { instructions: "second" })

    const p1 = await api.publish("acme", v1.id as string)
    expect(p1).toMatchObject({ id: v1.id, status: "published", config: v1.config })
    expect(typeof p1.published_at).toBe("string")
    // Publishing the published version changes nothing.
    expect(await api.publish("acme", v1.id as string)).toEqual(p1)

    const p2 = await api.publish("acme", v2.id as string)
    expect(p2.status).toBe("published")
    const all = await versionsOf("acme", id)
    expect(all.filter((v) => v.status === "published").map((v) => v.id)).toEqual([v2.id])
    const old = all.find((v) => v.id === v1.id)!
    expect(old).toMatchObject({ status: "draft", config: v1.config, published_at: p1.published_at, version_number: 1 })

    // A config change is a new version; the published one keeps its config.
    const v3 = await api.createVersion("acme", id, { instructions: "third" })
    expect(v3.version_number).toBe(3)
    expect((await versionsOf("acme", id)).find((v) => v.id === v2.id)).toMatchObject({ status: "published", config: v2.config })

    // Concurrent publishes of different versions still end with exactly one published.
    await Promise.all([v1, v2, v3].map((v) => api.publish("acme", v.id as string)))
    expect((await versionsOf("acme", id)).filter((v) => v.status === "published")).toHaveLength(1)
  })

  it("answers 404 for unknown agents and versions, 400 for malformed agent ids", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000"
    const create = await t.request("/api/v1/admin/tenants/acme/agent-versions", { method: "POST", admin: true, body: { agent_id: unknown } })
    expect(create.status).toBe(404)
    expect(create.json).toEqual({ ok: false, error: expect.any(String) })
    const malformed = await t.request("/api/v1/admin/tenants/acme/agent-versions", { method: "POST", admin: true, body: { agent_id: "nope" } })
    expect(malformed.status).toBe(400)
    expect(malformed.json.ok).toBe(false)
    expect((await t.request(`/api/v1/admin/tenants/acme/agent-versions?agent_id=${unknown}`, { admin: true })).status).toBe(404)
    expect((await t.request(`/api/v1/admin/tenants/acme/agent-versions/${unknown}/publish`, { method: "POST", admin: true })).status).toBe(404)
    expect((await t.request("/api/v1/admin/tenants/acme/agent-versions/not-a-uuid/publish", { method: "POST", admin: true })).status).toBe(404)
    expect((await t.request("/api/v1/admin/tenants/nobody/agent-versions", { admin: true })).status).toBe(404)
  })

  it("keeps tenants apart: another tenant's agents and versions are 404 and invisible", async () => {
    const agent = await api.createAgent("acme", "private")
    const version = await api.createVersion("acme", agent.id as string, { greeting: "secret" })
    const before = await versionsOf("acme", agent.id as string)

    const viaGlobex = await t.request("/api/v1/admin/tenants/globex/agent-versions", { method: "POST", admin: true, body: { agent_id: agent.id } })
    expect(viaGlobex.status).toBe(404)
    expect((await t.request(`/api/v1/admin/tenants/globex/agent-versions?agent_id=${agent.id}`, { admin: true })).status).toBe(404)
    expect((await t.request(`/api/v1/admin/tenants/globex/agent-versions/${version.id}/publish`, { method: "POST", admin: true })).status).toBe(404)
    const globexVersions = await versionsOf("globex")
    expect(globexVersions.some((v) => v.id === version.id)).toBe(false)
    const globexAgents = await t.request("/api/v1/admin/tenants/globex/agents", { admin: true })
    expect((globexAgents.json.agents as Array<Json>).some((a) => a.id === agent.id)).toBe(false)

    expect(await versionsOf("acme", agent.id as string)).toEqual(before)
  })
})

describe("tenant deletion", () => {
  it("removes the tenant's agents, versions, routes, rollouts and policies", async () => {
    await t.createTenant("doomed")
    const agent = await api.createAgent("doomed", "a")
    const version = await api.createVersion("doomed", agent.id as string)
    await api.publish("doomed", version.id as string)
    expect((await api.putRollouts("doomed", agent.id as string, [{ agent_version_id: version.id as string, traffic_percentage: 10 }])).status).toBe(200)
    expect((await api.putRoute("doomed", { phone_number: "+14155550999", direction: "inbound", agent_id: agent.id, agent_version_id: version.id })).status).toBe(200)
    const policy = { enabled: true, lookback_hours: 1, min_avg_score: 0.5, min_eval_count: 1 }
    expect((await t.request(`/api/v1/admin/tenants/doomed/agents/${agent.id}/rollout-policy`, { method: "PUT", admin: true, body: policy })).status).toBe(200)

    expect((await t.request("/api/v1/admin/tenants/doomed", { method: "DELETE", admin: true })).status).toBe(200)
    await t.createTenant("doomed")
    expect((await t.request("/api/v1/admin/tenants/doomed/agents", { admin: true })).json).toEqual({ ok: true, count: 0, agents: [] })
    expect((await t.request("/api/v1/admin/tenants/doomed/phone-number-routes", { admin: true })).json).toEqual({ ok: true, count: 0, routes: [] })
    // The inbound number is free again, for any tenant.
    const globexAgent = await api.createAgent("globex", "takes-number")
    expect((await api.putRoute("globex", { phone_number: "+14155550999", direction: "inbound", agent_id: globexAgent.id })).status).toBe(200)
  })
})
