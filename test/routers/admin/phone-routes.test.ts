import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentApi } from "../../support/agents.js"
import { startTestApp, type TestApp } from "../../support/app.js"

let t: TestApp
let api: ReturnType<typeof agentApi>
type Json = Record<string, unknown>
let acmeAgent: Json
let acmeOther: Json
let globexAgent: Json
let v1: Json
let v2: Json
let otherVersion: Json

beforeAll(async () => {
  t = await startTestApp()
  api = agentApi(t)
  await t.createTenant("acme")
  await t.createTenant("globex")
  acmeAgent = await api.createAgent("acme", "support")
  acmeOther = await api.createAgent("acme", "sales")
  globexAgent = await api.createAgent("globex", "support")
  v1 = await api.createVersion("acme", acmeAgent.id as string, { greeting: "v1" })
  v2 = await api.createVersion("acme", acmeAgent.id as string, { greeting: "v2" })
  otherVersion = await api.createVersion("acme", acmeOther.id as string)
})
afterAll(async () => t?.close())

const routesOf = async (tenant: string) => {
  const r = await t.request(`/api/v1/admin/tenants/${tenant}/phone-number-routes`, { admin: true })
  expect(r.status, r.text).toBe(200)
  return r.json.routes as Array<Json>
}

describe("phone-number routes", () => {
  it("creates a route, resolves its version, and replaces the route of the same number and direction", async () => {
    const created = await api.putRoute("acme", { phone_number: "+1 (415) 555-0100", direction: "inbound", agent_id: acmeAgent.id })
    expect(created.status, created.text).toBe(200)
    const route = created.json.route as Json
    expect(route).toMatchObject({
      tenant_id: "acme",
      phone_number: "+14155550100",
      direction: "inbound",
      agent_id: acmeAgent.id,
      agent_key: "support",
      agent_name: "support",
      agent_version_id: null,
      greeting: null,
      resolved_agent_version_id: null,
      resolved_version_number: null
    })

    await api.publish("acme", v1.id as string)
    expect((await routesOf("acme"))[0]).toMatchObject({ resolved_agent_version_id: v1.id, resolved_version_number: 1 })

    const pinned = await api.putRoute("acme", { phone_number: "+14155550100", direction: "inbound", agent_id: acmeAgent.id, agent_version_id: v2.id, greeting: "Hi!" })
    expect(pinned.status, pinned.text).toBe(200)
    expect(pinned.json.route).toMatchObject({ id: route.id, agent_version_id: v2.id, greeting: "Hi!", resolved_agent_version_id: v2.id, resolved_version_number: 2 })
    expect(await routesOf("acme")).toHaveLength(1)

    // Same number, another direction: a second route.
    const outbound = await api.putRoute("acme", { phone_number: "+14155550100", direction: "outbound", agent_id: acmeOther.id })
    expect(outbound.status).toBe(200)
    expect((await routesOf("acme")).map((r) => r.direction)).toEqual(["inbound", "outbound"])
  })

  it("updates a route by id and answers 409 when that collides with another route", async () => {
    const a = (await api.putRoute("acme", { phone_number: "+14155550101", direction: "sip_inbound", agent_id: acmeAgent.id })).json.route as Json
    const b = (await api.putRoute("acme", { phone_number: "+14155550102", direction: "sip_inbound", agent_id: acmeAgent.id })).json.route as Json
    const moved = await api.putRoute("acme", { id: a.id, phone_number: "+14155550103", direction: "sip_inbound", agent_id: acmeOther.id })
    expect(moved.status, moved.text).toBe(200)
    expect(moved.json.route).toMatchObject({ id: a.id, phone_number: "+14155550103", agent_id: acmeOther.id })

    const clash = await api.putRoute("acme", { id: a.id, phone_number: "+14155550102", direction: "sip_inbound", agent_id: acmeAgent.id })
    expect(clash.status).toBe(409)
    expect(clash.json).toEqual({ ok: false, error: expect.any(String) })
    expect((await routesOf("acme")).find((r) => r.id === b.id)).toMatchObject({ phone_number: "+14155550102" })

    const unknownId = await api.putRoute("acme", { id: "00000000-0000-4000-8000-000000000000", phone_number: "+14155550109", direction: "inbound", agent_id: acmeAgent.id })
    expect(unknownId.status).toBe(404)
  })

  it("gives an inbound number to one tenant only (409), while outbound numbers may be shared", async () => {
    const taken = await api.putRoute("globex", { phone_number: "+14155550100", direction: "inbound", agent_id: globexAgent.id })
    expect(taken.status).toBe(409)
    expect(taken.json.ok).toBe(false)
    expect(await routesOf("globex")).toEqual([])

    const shared = await api.putRoute("globex", { phone_number: "+14155550100", direction: "outbound", agent_id: globexAgent.id })
    expect(shared.status).toBe(200)
  })

  it("rejects bad input with the admin envelope and leaves the routes as they were", async () => {
    const before = await routesOf("acme")
    const cases: Array<[Json, number]> = [
      [{ phone_number: "4155550100", direction: "inbound", agent_id: acmeAgent.id }, 400],
      [{ phone_number: "+1 415 555 0100 ext 2", direction: "inbound", agent_id: acmeAgent.id }, 400],
      [{ phone_number: "+14155550199", direction: "sideways", agent_id: acmeAgent.id }, 400],
      [{ phone_number: "+14155550199", direction: "inbound", agent_id: "not-a-uuid" }, 400],
      [{ phone_number: "+14155550199", direction: "inbound", agent_id: "00000000-0000-4000-8000-000000000000" }, 404],
      [{ phone_number: "+14155550199", direction: "inbound", agent_id: globexAgent.id }, 404],
      [{ phone_number: "+14155550199", direction: "inbound", agent_id: acmeAgent.id, agent_version_id: otherVersion.id }, 400],
      [{ phone_number: "+14155550199", direction: "inbound", agent_id: acmeAgent.id, agent_version_id: "00000000-0000-4000-8000-000000000000" }, 404]
    ]
    for (const [body, status] of cases) {
      const r = await api.putRoute("acme", body)
      expect(r.status, JSON.stringify(body)).toBe(status)
      expect(r.json).toEqual({ ok: false, error: expect.any(String) })
    }
    expect(await routesOf("acme")).toEqual(before)
  })

  it("deletes a route and answers it; other tenants see and delete nothing", async () => {
    const route = (await api.putRoute("acme", { phone_number: "+14155550150", direction: "inbound", agent_id: acmeAgent.id })).json.route as Json
    expect((await routesOf("globex")).some((r) => r.id === route.id)).toBe(false)
    const foreign = await t.request(`/api/v1/admin/tenants/globex/phone-number-routes/${route.id}`, { method: "DELETE", admin: true })
    expect(foreign.status).toBe(404)
    expect(foreign.json.ok).toBe(false)

    const deleted = await t.request(`/api/v1/admin/tenants/acme/phone-number-routes/${route.id}`, { method: "DELETE", admin: true })
    expect(deleted.status).toBe(200)
    expect(deleted.json.route).toMatchObject({ id: route.id, phone_number: "+14155550150", agent_key: "support" })
    expect((await routesOf("acme")).some((r) => r.id === route.id)).toBe(false)
    expect((await t.request(`/api/v1/admin/tenants/acme/phone-number-routes/${route.id}`, { method: "DELETE", admin: true })).status).toBe(404)
    expect((await t.request("/api/v1/admin/tenants/acme/phone-number-routes/not-a-uuid", { method: "DELETE", admin: true })).status).toBe(404)
  })

  it("is admin-only", async () => {
    const { token } = await t.createKey("acme")
    const anonymous = await t.request("/api/v1/admin/tenants/acme/phone-number-routes")
    expect(anonymous.status).toBe(401)
    const tenant = await t.request("/api/v1/admin/tenants/acme/phone-number-routes", { method: "PUT", token, body: { phone_number: "+14155550170", direction: "inbound", agent_id: acmeAgent.id } })
    expect(tenant.status).toBe(403)
    expect(tenant.json.ok).toBe(false)
    expect((await routesOf("acme")).some((r) => r.phone_number === "+14155550170")).toBe(false)
  })
})
