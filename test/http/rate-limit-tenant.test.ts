import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectTenantError } from "./contract.js"

let t: TestApp
let a: string
let b: string
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_TENANT_PER_MINUTE: "3" })
  await t.createTenant("rl-a", { auth_token: "rl-a-legacy" })
  await t.createTenant("rl-b")
  a = (await t.createKey("rl-a")).token
  b = (await t.createKey("rl-b")).token
})
afterAll(async () => t?.close())

describe("RATE_LIMIT_PER_TENANT_PER_MINUTE=3", () => {
  it("counts per tenant across its credentials; other tenants and admin are unaffected", async () => {
    expect((await t.request("/status", { token: a })).status).toBe(200)
    expect((await t.request("/health", { token: a })).status).toBe(200)
    // The legacy token is the same tenant, so it shares the window.
    expect((await t.request("/status", { token: "rl-a-legacy" })).status).toBe(200)
    const limited = await t.request("/status", { token: a })
    expectTenantError(limited, 429, "RATE_LIMITED")
    const s = Number(limited.headers.get("retry-after"))
    expect(s >= 1 && s <= 60).toBe(true)
    expectTenantError(await t.request("/health", { token: "rl-a-legacy" }), 429, "RATE_LIMITED")

    expect((await t.request("/status", { token: b })).json.tenant).toBe("rl-b")
    for (let i = 0; i < 5; i++) expect((await t.request("/api/v1/admin/tenants", { admin: true })).status).toBe(200)
  })

  it("an unauthenticated caller is refused (401) before any tenant window is touched", async () => {
    expectTenantError(await t.request("/status", { token: "vk_unknown" }), 401)
    expect((await t.request("/status", { token: b })).status).toBe(200)
  })
})
