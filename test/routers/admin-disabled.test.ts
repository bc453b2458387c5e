import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectErrorEnvelope, expectTenantError } from "../http/contract.js"
import { emptyBodyFor, fillPath, label, routes } from "./operations.js"

let t: TestApp
beforeAll(async () => {
  // No ADMIN_API_KEY and no login credentials: the whole admin surface is switched off.
  t = await startTestApp({ ADMIN_API_KEY: undefined })
})
afterAll(async () => t?.close())

const adminRoutes = routes.filter((r) => r.template.startsWith("/api/v1/admin"))
// Satisfies the login input too, so the answer is about the surface, not the body.
const body = { username: "someone", password: "something" }

describe("admin surface disabled", () => {
  it("has admin operations to check", () => {
    expect(adminRoutes.length).toBeGreaterThan(10)
  })

  for (const r of adminRoutes) {
    it(`${label(r)} → 404 admin endpoints disabled`, async () => {
      for (const headers of [{}, { "x-admin-key": "anything" }] as Array<Record<string, string>>) {
        const b = emptyBodyFor(r, body)
        const res = await t.request(fillPath(r, "acme"), { method: r.method, headers: { ...b.headers, ...headers }, ...(b.rawBody !== undefined ? { rawBody: b.rawBody } : {}) })
        expect(res.status, `${label(r)}: ${res.text}`).toBe(404)
        expect(res.json).toEqual({ ok: false, error: "admin endpoints disabled" })
        expectErrorEnvelope(res, "AdminErrorResponse", label(r))
      }
    })
  }

  it("over tRPC as well", async () => {
    const res = await t.request("/trpc/admin.tenants.list")
    expect(res.status).toBe(404)
    const error = res.json.error as { json: { message: string; data: { code: string; httpStatus: number } } }
    expect(error.json.data.code).toBe("ADMIN_DISABLED")
    expect(error.json.message).toBe("admin endpoints disabled")
  })

  it("leaves the tenant surface and probes alone", async () => {
    expectTenantError(await t.request("/status", { token: "nope" }), 401, "UNAUTHORIZED")
    expect((await t.request("/health/ready")).status).toBe(200)
  })
})
