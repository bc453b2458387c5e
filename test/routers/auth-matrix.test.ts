import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ADMIN_KEY, type ApiResponse, type RequestOptions, startTestApp, type TestApp } from "../support/app.js"
import { errorSchemaFor, expectErrorEnvelope } from "../http/contract.js"
import { CREDENTIAL_OPTIONAL, destructiveLast, emptyBodyFor, fillPath, label, operationId, routes, surfaceOf } from "./operations.js"
import type { RestRoute } from "../../src/http/routes.js"

// Admin operations act on this tenant; the caller's key belongs to another, so deleting it changes nothing here.
const TARGET = "matrix-target"
const CALLER = "matrix-caller"

let t: TestApp
let key: string
let revoked: string

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant(TARGET)
  await t.createTenant(CALLER)
  key = (await t.createKey(CALLER)).token
  const r = await t.createKey(CALLER, "to-revoke")
  revoked = r.token
  const res = await t.request(`/api/v1/admin/tenants/${CALLER}/api-keys/${r.id}`, { method: "DELETE", admin: true })
  expect(res.status).toBe(200)
})
afterAll(async () => t?.close())

const call = (r: RestRoute, opts: Omit<RequestOptions, "method" | "body"> = {}): Promise<ApiResponse> => {
  const path = fillPath(r, surfaceOf(r) === "admin" ? TARGET : CALLER)
  const body = emptyBodyFor(r)
  return t.request(path, { ...opts, method: r.method, ...(body.rawBody !== undefined ? { rawBody: body.rawBody } : {}), headers: { ...body.headers, ...opts.headers } })
}

const expectRejected = (r: RestRoute, res: ApiResponse, status: number, what: string) => {
  expect(res.status, `${label(r)} ${what}: ${res.text}`).toBe(status)
  expectErrorEnvelope(res, errorSchemaFor(r.method, r.template, status, r.contract.envelope), `${label(r)} ${what}`)
}

const secured = destructiveLast(routes.filter((r) => surfaceOf(r) !== "open" && !CREDENTIAL_OPTIONAL.has(operationId(r))))

describe("auth matrix over every served operation", () => {
  it("enumerates the foundation's operations (and whatever was added since)", () => {
    const ids = routes.map(operationId)
    for (const id of ["list_tenants", "get_tenant", "upsert_tenant", "create_tenant_api_key", "health", "root", "readiness"]) {
      expect(ids).toContain(id)
    }
    expect(secured.length).toBeGreaterThan(10)
  })

  for (const r of secured) {
    const surface = surfaceOf(r)
    it(`${label(r)} (${operationId(r)}) — ${surface}`, async () => {
      expectRejected(r, await call(r), 401, "no credential")
      expectRejected(r, await call(r, { token: revoked }), 401, "revoked key")
      expectRejected(r, await call(r, { headers: { authorization: "Bearer not-a-real-token" } }), 401, "unknown bearer")
      for (const authorization of ["Bearer", "Basic dXNlcjpwYXNz", `Bearer ${key} extra`]) {
        expectRejected(r, await call(r, { headers: { authorization } }), 401, `authorization ${authorization}`)
      }
      expectRejected(r, await call(r, { headers: { cookie: "stateset_admin_session=%E0%A4%A" } }), 401, "malformed session cookie")

      if (surface === "admin") {
        expectRejected(r, await call(r, { token: key }), 403, "tenant key on admin op")
        expectRejected(r, await call(r, { headers: { "x-admin-key": `${ADMIN_KEY}-wrong` } }), 401, "wrong admin key")
        const ok = await call(r, { admin: true })
        expect([401, 403], `${label(r)} with admin key: ${ok.status} ${ok.text}`).not.toContain(ok.status)
        expect(ok.status, `${label(r)} with admin key: ${ok.text}`).toBeLessThan(500)
        if (ok.status >= 400) expectRejected(r, ok, ok.status, "admin key")
      } else if (surface === "tenant") {
        expectRejected(r, await call(r, { admin: true }), 401, "admin key on tenant op")
        const ok = await call(r, { token: key })
        expect([401, 403], `${label(r)} with tenant key: ${ok.status} ${ok.text}`).not.toContain(ok.status)
        expect(ok.status, `${label(r)} with tenant key: ${ok.text}`).toBeLessThan(500)
        if (ok.status >= 400) expectRejected(r, ok, ok.status, "tenant key")
      }
    })
  }

  for (const r of routes.filter((r) => CREDENTIAL_OPTIONAL.has(operationId(r)))) {
    it(`${label(r)} answers without a credential and recognises the admin key`, async () => {
      const anonymous = await call(r)
      expect(anonymous.status, anonymous.text).toBe(200)
      expect(anonymous.json.authenticated).toBe(false)
      const admin = await call(r, { admin: true })
      expect(admin.status, admin.text).toBe(200)
      expect(admin.json.authenticated).toBe(true)
    })
  }

  it("open operations need no credential", async () => {
    for (const path of ["/health/live", "/health/ready"]) {
      const res = await t.request(path)
      expect(res.status, `${path}: ${res.text}`).toBe(200)
    }
  })

  it("admin login is disabled (404, admin envelope) when ADMIN_USERNAME is not configured", async () => {
    const res = await t.request("/api/v1/admin/auth/login", { body: { username: "admin", password: "whatever" } })
    expect(res.status, res.text).toBe(404)
    expectErrorEnvelope(res, "AdminErrorResponse")
  })
})
