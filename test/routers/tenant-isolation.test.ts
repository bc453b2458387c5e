import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectAdminError, expectTenantError } from "../http/contract.js"

let t: TestApp
let keyA: { token: string; id: string }
let keyB: { token: string; id: string }
const LEGACY_A = "legacy-token-of-tenant-a-123"
const LEGACY_B = "legacy-token-of-tenant-b-456"

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("tenant-a", { auth_token: LEGACY_A, voice: "alloy" })
  await t.createTenant("tenant-b", { auth_token: LEGACY_B, voice: "verse" })
  keyA = await t.createKey("tenant-a")
  keyB = await t.createKey("tenant-b")
})
afterAll(async () => t?.close())

const configOf = async (id: string) => (await t.request(`/api/v1/admin/tenants/${id}`, { admin: true })).json

describe("tenant isolation", () => {
  it("each credential sees only its own tenant on /status and /health", async () => {
    for (const [token, tenant] of [
      [keyA.token, "tenant-a"],
      [keyB.token, "tenant-b"],
      [LEGACY_A, "tenant-a"],
      [LEGACY_B, "tenant-b"]
    ] as const) {
      const status = await t.request("/status", { token })
      expect(status.status, status.text).toBe(200)
      expect(status.json.tenant).toBe(tenant)
      const health = await t.request("/health", { token })
      expect(health.status, health.text).toBe(200)
      expect(health.json.tenant).toBe(tenant)
    }
  })

  it("tenant B's key cannot read or change tenant A through admin operations", async () => {
    const before = await configOf("tenant-a")
    const token = keyB.token
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a", { token }), 403)
    expectAdminError(await t.request("/api/v1/admin/tenants", { token }), 403)
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a", { method: "PUT", token, body: { voice: "hijacked" } }), 403)
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a/runtime-config", { method: "PUT", token, body: { voice: "hijacked" } }), 403)
    expectAdminError(await t.request(`/api/v1/admin/tenants/tenant-a/api-keys/${keyA.id}`, { method: "DELETE", token }), 403)
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a/api-keys", { token }), 403)
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a", { method: "DELETE", token }), 403)
    // Legacy tokens are tenant credentials too.
    expectAdminError(await t.request("/api/v1/admin/tenants/tenant-a", { token: LEGACY_B }), 403)

    expect(await configOf("tenant-a")).toEqual(before)
    expect((await t.request("/status", { token: keyA.token })).json.tenant).toBe("tenant-a")
  })

  it("tenant B's key over tRPC is refused the admin procedures", async () => {
    const res = await t.request(`/trpc/admin.tenants.get?input=${encodeURIComponent(JSON.stringify({ json: { tenant_id: "tenant-a" } }))}`, { token: keyB.token })
    expect(res.status).toBe(403)
    expect(JSON.stringify(res.json)).not.toContain("alloy")
  })

  it("one tenant cannot take over another's legacy token", async () => {
    const res = await t.request("/api/v1/admin/tenants/tenant-b", { method: "PUT", admin: true, body: { auth_token: LEGACY_A } })
    expectAdminError(res, 409)
    expect((await t.request("/status", { token: LEGACY_A })).json.tenant).toBe("tenant-a")
    expect((await t.request("/status", { token: LEGACY_B })).json.tenant).toBe("tenant-b")
  })

  it("a changed legacy token stops working at once and the new one authenticates", async () => {
    const res = await t.request("/api/v1/admin/tenants/tenant-a/runtime-config", { method: "PUT", admin: true, body: { auth_token: "rotated-legacy-a" } })
    expect(res.status, res.text).toBe(200)
    expectTenantError(await t.request("/status", { token: LEGACY_A }), 401, "UNAUTHORIZED")
    expect((await t.request("/status", { token: "rotated-legacy-a" })).json.tenant).toBe("tenant-a")
  })

  it("a bearer that is nobody's is 401 and never falls through to another tenant", async () => {
    for (const token of ["", "vk_notakey", `${keyA.token}x`, LEGACY_B.toUpperCase()]) {
      const res = await t.request("/status", { headers: { authorization: `Bearer ${token}` } })
      expectTenantError(res, 401, "UNAUTHORIZED")
    }
    expectTenantError(await t.request("/status", { headers: { authorization: keyA.token } }), 401, "UNAUTHORIZED")
  })
})
