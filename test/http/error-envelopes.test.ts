import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { contractSource, expectAdminError, expectTenantError, validatorOf } from "./contract.js"

let t: TestApp
let key: string
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("env")
  key = (await t.createKey("env")).token
})
afterAll(async () => t?.close())

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe("error envelopes", () => {
  it("are checked against the contract's own schemas (which do reject wrong bodies)", () => {
    expect(contractSource).toBeDefined()
    const tenant = validatorOf("ErrorResponse")
    expect(tenant({ success: false, error: "x", code: "X", request_id: null })).toBe(true)
    expect(tenant({ success: false, error: "x" })).toBe(false)
    expect(tenant({ success: false, error: "x", code: "X", request_id: 5 })).toBe(false)
    const admin = validatorOf("AdminErrorResponse")
    expect(admin({ ok: false, error: "x" })).toBe(true)
    expect(admin({ success: false, error: "x", code: "X" })).toBe(false)
  })

  it("tenant errors carry a generated request id equal to the x-request-id header", async () => {
    const a = await t.request("/status")
    expectTenantError(a, 401, "UNAUTHORIZED")
    expect(a.json.request_id).toMatch(UUID)
    const b = await t.request("/status")
    expect(b.json.request_id).not.toBe(a.json.request_id)
  })

  it("a supplied x-request-id is echoed in the header and the envelope", async () => {
    const id = "req-abc123.def:456"
    const res = await t.request("/no/such/route", { headers: { "x-request-id": id } })
    expectTenantError(res, 404, "NOT_FOUND")
    expect(res.headers.get("x-request-id")).toBe(id)
    expect(res.json.request_id).toBe(id)
    const ok = await t.request("/status", { token: key, headers: { "x-request-id": id } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get("x-request-id")).toBe(id)
    const admin = await t.request("/api/v1/admin/tenants/missing", { admin: true, headers: { "x-request-id": id } })
    expectAdminError(admin, 404)
    expect(admin.headers.get("x-request-id")).toBe(id)
  })

  it("an unusable x-request-id (spaces, too long) is replaced, not reflected", async () => {
    for (const bad of ["has spaces", "x".repeat(129), "<script>"]) {
      const res = await t.request("/status", { headers: { "x-request-id": bad } })
      expectTenantError(res, 401)
      expect(res.headers.get("x-request-id")).toMatch(UUID)
    }
  })

  it("validation failures name the field in details", async () => {
    const res = await t.request("/api/v1/admin/tenants?limit=abc", { admin: true })
    expectAdminError(res, 400)
    expect(res.json.error).toContain("limit")
  })

  it("tRPC responses carry the request id too", async () => {
    const input = `?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`
    const res = await t.request(`/trpc/health.status${input}`, { token: key, headers: { "x-request-id": "trpc-req-1" } })
    expect(res.status).toBe(200)
    expect(res.headers.get("x-request-id")).toBe("trpc-req-1")
    const err = await t.request(`/trpc/health.status${input}`, { headers: { "x-request-id": "trpc-req-2" } })
    expect(err.status).toBe(401)
    expect((err.json.error as { json: { data: { request_id: string } } }).json.data.request_id).toBe("trpc-req-2")
  })
})
