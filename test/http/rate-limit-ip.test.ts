import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectAdminError, expectTenantError } from "./contract.js"

// Every request in this file comes from 127.0.0.1 and counts against the same window.
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_IP_PER_MINUTE: "5" })
})
afterAll(async () => t?.close())

const expectRetryAfter = (h: Headers) => {
  const s = Number(h.get("retry-after"))
  expect(Number.isInteger(s) && s >= 1 && s <= 60, `retry-after ${h.get("retry-after")}`).toBe(true)
}

describe("RATE_LIMIT_PER_IP_PER_MINUTE=5", () => {
  it("the sixth request in a minute is 429 with Retry-After in the surface's envelope", async () => {
    for (let i = 0; i < 5; i++) expectTenantError(await t.request("/status"), 401)
    const limited = await t.request("/status")
    expectTenantError(limited, 429, "RATE_LIMITED")
    expectRetryAfter(limited.headers)

    const admin = await t.request("/api/v1/admin/tenants", { admin: true })
    expectAdminError(admin, 429)
    expectRetryAfter(admin.headers)
    expectTenantError(await t.request("/no/such/route"), 429, "RATE_LIMITED")
    expect((await t.request("/trpc/admin.tenants.list", { admin: true })).status).toBe(429)
  })

  it("health probes and documentation are never limited", async () => {
    for (let i = 0; i < 3; i++) {
      expect((await t.request("/health/live")).status).toBe(200)
      expect((await t.request("/health/ready")).status).toBe(200)
      expect((await t.request("/docs")).status).toBe(200)
      expect((await t.request("/swagger-ui/")).status).toBe(200)
    }
  })
})
