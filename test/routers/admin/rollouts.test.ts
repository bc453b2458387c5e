import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentApi } from "../../support/agents.js"
import { startTestApp, type TestApp } from "../../support/app.js"

let t: TestApp
let api: ReturnType<typeof agentApi>
type Json = Record<string, unknown>
let agent: Json
let other: Json
let globexAgent: Json
let versions: Array<Json>
let otherVersion: Json

beforeAll(async () => {
  t = await startTestApp()
  api = agentApi(t)
  await t.createTenant("acme")
  await t.createTenant("globex")
  agent = await api.createAgent("acme", "support", "Support")
  other = await api.createAgent("acme", "sales")
  globexAgent = await api.createAgent("globex", "support")
  versions = []
  for (let i = 0; i < 3; i++) versions.push(await api.createVersion("acme", agent.id as string, { instructions: `v${i + 1}` }))
  await api.publish("acme", versions[0]!.id as string)
  otherVersion = await api.createVersion("acme", other.id as string)
})
afterAll(async () => t?.close())

const rolloutsOf = async (tenant: string, agentId: string) => {
  const r = await t.request(`/api/v1/admin/tenants/${tenant}/agents/${agentId}/rollouts`, { admin: true })
  expect(r.status, r.text).toBe(200)
  return r.json
}

describe("rollouts", () => {
  it("starts empty, then replaces the whole split in the order given", async () => {
    expect(await rolloutsOf("acme", agent.id as string)).toEqual({ ok: true, count: 0, rollouts: [] })
    const [, v2, v3] = versions
    const r = await api.putRollouts("acme", agent.id as string, [
      { agent_version_id: v3!.id as string, traffic_percentage: 10 },
      { agent_version_id: v2!.id as string, traffic_percentage: 25 }
    ])
    expect(r.status, r.text).toBe(200)
    expect(r.json.count).toBe(2)
    expect(r.json.rollouts).toEqual([
      expect.objectContaining({ agent_version_id: v3!.id, version_number: 3, traffic_percentage: 10, position: 0, agent_key: "support", agent_name: "Support", agent_id: agent.id, tenant_id: "acme" }),
      expect.objectContaining({ agent_version_id: v2!.id, version_number: 2, traffic_percentage: 25, position: 1 })
    ])
    expect(await rolloutsOf("acme", agent.id as string)).toEqual(r.json)

    const replaced = await api.putRollouts("acme", agent.id as string, [{ agent_version_id: v2!.id as string, traffic_percentage: 100 }])
    expect(replaced.status).toBe(200)
    expect((replaced.json.rollouts as Array<Json>).map((e) => [e.version_number, e.traffic_percentage])).toEqual([[2, 100]])
  })

  it("rejects invalid sets with 400 and leaves the stored split unchanged", async () => {
    const [v1, v2, v3] = versions
    const set = [
      { agent_version_id: v2!.id as string, traffic_percentage: 30 },
      { agent_version_id: v3!.id as string, traffic_percentage: 20 }
    ]
    expect((await api.putRollouts("acme", agent.id as string, set)).status).toBe(200)
    const before = await rolloutsOf("acme", agent.id as string)

    const invalid: Array<ReadonlyArray<{ agent_version_id: string; traffic_percentage: number }>> = [
      [{ agent_version_id: v2!.id as string, traffic_percentage: 101 }],
      [{ agent_version_id: v2!.id as string, traffic_percentage: 60 }, { agent_version_id: v3!.id as string, traffic_percentage: 41 }],
      [{ agent_version_id: v2!.id as string, traffic_percentage: -1 }],
      [{ agent_version_id: v2!.id as string, traffic_percentage: 12.5 }],
      [{ agent_version_id: v2!.id as string, traffic_percentage: 10 }, { agent_version_id: v2!.id as string, traffic_percentage: 10 }],
      [{ agent_version_id: v1!.id as string, traffic_percentage: 10 }, { agent_version_id: otherVersion.id as string, traffic_percentage: 10 }],
      [{ agent_version_id: "00000000-0000-4000-8000-000000000000", traffic_percentage: 10 }],
      [{ agent_version_id: "not-a-uuid", traffic_percentage: 10 }]
    ]
    for (const entries of invalid) {
      const r = await api.putRollouts("acme", agent.id as string, entries)
      expect(r.status, JSON.stringify(entries)).toBe(400)
      expect(r.json).toEqual({ ok: false, error: expect.any(String) })
    }
    expect(await rolloutsOf("acme", agent.id as string)).toEqual(before)
  })

  it("answers 404 for unknown agents and other tenants' agents", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000"
    expect((await t.request(`/api/v1/admin/tenants/acme/agents/${unknown}/rollouts`, { admin: true })).status).toBe(404)
    expect((await t.request("/api/v1/admin/tenants/acme/agents/not-a-uuid/rollouts", { admin: true })).status).toBe(404)
    const before = await rolloutsOf("acme", agent.id as string)
    const foreign = await api.putRollouts("globex", agent.id as string, [])
    expect(foreign.status).toBe(404)
    expect(foreign.json).toEqual({ ok: false, error: expect.any(String) })
    expect((await t.request(`/api/v1/admin/tenants/globex/agents/${agent.id}/rollouts`, { admin: true })).status).toBe(404)
    expect(await rolloutsOf("acme", agent.id as string)).toEqual(before)
    // Another tenant's version cannot join this tenant's split either.
    const globexVersion = await api.createVersion("globex", globexAgent.id as string)
    expect((await api.putRollouts("acme", agent.id as string, [{ agent_version_id: globexVersion.id as string, traffic_percentage: 5 }])).status).toBe(400)
  })

  it("clears the split with an empty set", async () => {
    const r = await api.putRollouts("acme", other.id as string, [])
    expect(r.json).toEqual({ ok: true, count: 0, rollouts: [] })
  })
})

describe("rollout policy", () => {
  const path = () => `/api/v1/admin/tenants/acme/agents/${agent.id}/rollout-policy`
  const valid = { enabled: true, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 10, min_high_quality_rate: 0.5 }

  it("is null until set, then stored and updated", async () => {
    expect((await t.request(path(), { admin: true })).json).toEqual({ ok: true, policy: null })
    const put = await t.request(path(), { method: "PUT", admin: true, body: valid })
    expect(put.status, put.text).toBe(200)
    expect(put.json.policy).toMatchObject({ ...valid, tenant_id: "acme", agent_id: agent.id })
    expect((await t.request(path(), { admin: true })).json).toEqual(put.json)

    // A percentage score is stored on the evaluations' 0–1 scale; the rate may be cleared.
    const update = await t.request(path(), { method: "PUT", admin: true, body: { ...valid, enabled: false, min_avg_score: 85, min_high_quality_rate: null } })
    expect(update.json.policy).toMatchObject({ enabled: false, min_avg_score: 0.85, min_high_quality_rate: null, created_at: (put.json.policy as Json).created_at })
  })

  it("rejects invalid policies and unknown agents, keeping the stored policy", async () => {
    const before = (await t.request(path(), { admin: true })).json
    for (const body of [
      { ...valid, lookback_hours: 0 },
      { ...valid, lookback_hours: 1.5 },
      { ...valid, min_eval_count: -1 },
      { ...valid, min_avg_score: 101 },
      { ...valid, min_high_quality_rate: 1.5 },
      { enabled: true }
    ]) {
      const r = await t.request(path(), { method: "PUT", admin: true, body })
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.json).toEqual({ ok: false, error: expect.any(String) })
    }
    expect((await t.request(path(), { admin: true })).json).toEqual(before)
    const foreign = await t.request(`/api/v1/admin/tenants/globex/agents/${agent.id}/rollout-policy`, { method: "PUT", admin: true, body: valid })
    expect(foreign.status).toBe(404)
    expect((await t.request(`/api/v1/admin/tenants/globex/agents/${agent.id}/rollout-policy`, { admin: true })).status).toBe(404)
  })

  it("is admin-only", async () => {
    const { token } = await t.createKey("acme")
    expect((await t.request(path())).status).toBe(401)
    expect((await t.request(path(), { method: "PUT", token, body: valid })).status).toBe(403)
    expect((await t.request(`/api/v1/admin/tenants/acme/agents/${agent.id}/rollouts`, { method: "PUT", token, body: { entries: [] } })).status).toBe(403)
  })
})
