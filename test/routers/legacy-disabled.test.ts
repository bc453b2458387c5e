import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectTenantError } from "../http/contract.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ LEGACY_TENANT_BEARER_AUTH_ENABLED: "false" })
})
afterAll(async () => t?.close())

describe("LEGACY_TENANT_BEARER_AUTH_ENABLED=false", () => {
  it("refuses legacy tenant tokens while generated keys keep working", async () => {
    await t.createTenant("legacy-off", { auth_token: "legacy-off-token" })
    const { token } = await t.createKey("legacy-off")
    expectTenantError(await t.request("/status", { token: "legacy-off-token" }), 401, "UNAUTHORIZED")
    expectTenantError(await t.request("/health", { token: "legacy-off-token" }), 401, "UNAUTHORIZED")
    const ok = await t.request("/status", { token })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.json.tenant).toBe("legacy-off")
  })

  it("a legacy token is not a tenant credential on the admin surface either (401, not 403)", async () => {
    const res = await t.request("/api/v1/admin/tenants", { token: "legacy-off-token" })
    expect(res.status).toBe(401)
  })

  it("no longer raises the legacy-bearer alert", async () => {
    const res = await t.request("/api/v1/admin/alerts/auth-transport", { admin: true })
    expect(res.status).toBe(200)
    const codes = (res.json.alerts as Array<{ code: string }>).map((a) => a.code)
    expect(codes).not.toContain("legacy_tenant_bearer_enabled")
  })
})
