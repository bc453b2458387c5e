import { expect } from "vitest"
import type { TestApp } from "./app.js"

type Json = Record<string, unknown>

/** Admin helpers over the REST surface for agent, version, route and rollout tests. */
export const agentApi = (t: TestApp) => {
  const base = (tenant: string) => `/api/v1/admin/tenants/${tenant}`

  const createAgent = async (tenant: string, agentKey: string, name = agentKey): Promise<Json> => {
    const r = await t.request(`${base(tenant)}/agents`, { method: "POST", admin: true, body: { agent_key: agentKey, name } })
    expect(r.status, r.text).toBe(200)
    return r.json.agent as Json
  }

  const createVersion = async (tenant: string, agentId: string, config: Json = {}): Promise<Json> => {
    const r = await t.request(`${base(tenant)}/agent-versions`, { method: "POST", admin: true, body: { agent_id: agentId, config } })
    expect(r.status, r.text).toBe(200)
    return r.json.version as Json
  }

  const publish = async (tenant: string, versionId: string): Promise<Json> => {
    const r = await t.request(`${base(tenant)}/agent-versions/${versionId}/publish`, { method: "POST", admin: true })
    expect(r.status, r.text).toBe(200)
    return r.json.version as Json
  }

  const putRollouts = (tenant: string, agentId: string, entries: ReadonlyArray<{ agent_version_id: string; traffic_percentage: number }>) =>
    t.request(`${base(tenant)}/agents/${agentId}/rollouts`, { method: "PUT", admin: true, body: { entries } })

  const putRoute = (tenant: string, body: Json) => t.request(`${base(tenant)}/phone-number-routes`, { method: "PUT", admin: true, body })

  return { base, createAgent, createVersion, publish, putRollouts, putRoute }
}
