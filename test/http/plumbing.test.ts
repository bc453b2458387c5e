import { request as httpRequest } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { startTestApp, type TestApp } from "../support/app.js"
import { hasBody, isForm, routes, surfaceOf } from "../routers/operations.js"
import { expectAdminError, expectTenantError } from "./contract.js"

let t: TestApp
let key: string
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("plumb")
  key = (await t.createKey("plumb")).token
})
afterAll(async () => t?.close())

const MiB = 1024 * 1024
const bigJson = () => JSON.stringify({ tenant_id: "big", filler: "x".repeat(MiB + 10) })

/** A body sent chunked, without Content-Length, so the limit is enforced while reading. */
const chunked = (path: string, body: string, headers: Record<string, string>) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(`${t.url}${path}`, { method: "PUT", headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = ""
      res.on("data", (c: Buffer) => (text += c.toString()))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on("error", reject)
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024))
    req.end()
  })

// A tenant-surface operation that takes a JSON body, once the project has one.
const tenantBodyRoute = routes.find((r) => surfaceOf(r) === "tenant" && r.contract.envelope === "tenant" && hasBody(r) && !isForm(r) && !r.template.includes("{"))

describe("request bodies", () => {
  it("over 1 MiB is 413 in the admin envelope, declared or chunked", async () => {
    expectAdminError(await t.request("/api/v1/admin/tenants/big", { method: "PUT", admin: true, rawBody: bigJson(), headers: { "content-type": "application/json" } }), 413)
    const res = await chunked("/api/v1/admin/tenants/big", bigJson(), { "x-admin-key": "test-admin-key-0123456789" })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.text)).toMatchObject({ ok: false })
    expectAdminError(await t.request("/api/v1/admin/tenants/big", { admin: true }), 404)
  })

  it.runIf(tenantBodyRoute)("over 1 MiB on a tenant operation is 413 in ErrorResponse", async () => {
    const r = tenantBodyRoute!
    const res = await t.request(r.template, { method: r.method, token: key, rawBody: bigJson(), headers: { "content-type": "application/json" } })
    expectTenantError(res, 413, "PAYLOAD_TOO_LARGE")
    const bad = await t.request(r.template, { method: r.method, token: key, rawBody: "{oops", headers: { "content-type": "application/json" } })
    expectTenantError(bad, 400, "INVALID_JSON")
  })

  it("over 1 MiB through tRPC is 413", async () => {
    const res = await t.request("/trpc/admin.tenants.validate", { method: "POST", admin: true, rawBody: JSON.stringify({ json: JSON.parse(bigJson()) }), headers: { "content-type": "application/json" } })
    expect(res.status).toBe(413)
  })

  it("malformed JSON is 400, a non-object body is 400, a non-JSON content type is 415", async () => {
    const put = (rawBody: string, type: string) => t.request("/api/v1/admin/tenants/plumb", { method: "PUT", admin: true, rawBody, headers: { "content-type": type } })
    expectAdminError(await put('{"voice": ', "application/json"), 400)
    expectAdminError(await put('"just a string"', "application/json"), 400)
    expectAdminError(await put("voice=alloy", "application/x-www-form-urlencoded"), 415)
    expectAdminError(await put('{"voice":"alloy"}', "text/plain"), 415)
  })

  it("deeply nested JSON is a 400, on REST and tRPC alike (not a stack overflow)", async () => {
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`
    const put = (rawBody: string) => t.request("/api/v1/admin/tenants/plumb-deep", { method: "PUT", admin: true, rawBody, headers: { "content-type": "application/json" } })
    for (const n of [200, 5_000, 200_000]) expectAdminError(await put(`{"voice":"a","x":${deep(n)}}`), 400)
    expectAdminError(await t.request("/api/v1/admin/tenants/plumb-deep", { admin: true }), 404)
    const rpc = await t.request("/trpc/admin.tenants.upsert", { method: "POST", admin: true, rawBody: `{"json":{"tenant_id":"plumb-deep","x":${deep(50_000)}}}`, headers: { "content-type": "application/json" } })
    expect(rpc.status).toBe(400)
    // Ordinary nesting is fine.
    expect((await put(`{"voice":"a","x":${deep(20)}}`)).status).toBe(200)
  })

  it("application/json with a charset parameter (and +json types) are accepted", async () => {
    const put = (type: string, voice: string) => t.request("/api/v1/admin/tenants/plumb", { method: "PUT", admin: true, rawBody: JSON.stringify({ voice }), headers: { "content-type": type } })
    expect((await put("application/json; charset=utf-8", "alloy")).status).toBe(200)
    expect((await put("Application/JSON;charset=UTF-8", "ash")).status).toBe(200)
    expect((await put("application/merge-patch+json", "verse")).status).toBe(200)
    expect(((await t.request("/api/v1/admin/tenants/plumb", { admin: true })).json.config as { voice: string }).voice).toBe("verse")
  })
})

describe("routing", () => {
  it("an unknown path is 404 in the envelope of its surface", async () => {
    expectTenantError(await t.request("/no/such/thing"), 404, "NOT_FOUND")
    expectTenantError(await t.request("/api/v1/nothing-here", { token: key }), 404, "NOT_FOUND")
    expectAdminError(await t.request("/api/v1/admin/nothing-here", { admin: true }), 404)
    expectAdminError(await t.request("/api/v1/admin/tenants/%E0%A4%A", { admin: true }), 404)
  })

  it("a known path with the wrong method is 405 with Allow", async () => {
    const res = await t.request("/status", { method: "POST", token: key, body: {} })
    expectTenantError(res, 405)
    expect(res.headers.get("allow")).toBe("GET")
    const admin = await t.request("/api/v1/admin/tenants/plumb", { method: "PATCH", admin: true, body: {} })
    expectAdminError(admin, 405)
    expect(admin.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PUT"])
  })

  it("static segments win over parameters", async () => {
    const res = await t.request("/api/v1/admin/tenants/cached", { admin: true })
    expect(res.status).toBe(200)
    expect(res.json).toHaveProperty("tenants")
  })

  it("integer query parameters that do not parse are 400, never 500", async () => {
    for (const q of ["limit=abc", "limit=-1", "limit=1e3", "limit=0", "limit=501", "limit=1.5", "limit=", "limit=0x10", "limit=Infinity", "limit=%201", "offset=-1", "offset=x", "limit=2&limit=abc"]) {
      expectAdminError(await t.request(`/api/v1/admin/tenants?${q}`, { admin: true }), 400)
    }
    expect((await t.request("/api/v1/admin/tenants?limit=500&offset=0", { admin: true })).status).toBe(200)
    expect((await t.request("/api/v1/admin/tenants?limit=abc&limit=2", { admin: true })).status).toBe(200)
  })

  it("a WebSocket upgrade to an unknown path is refused with 404", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace("http", "ws")}/no-such-socket`)
      ws.on("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0)
        ws.terminate()
      })
      ws.on("open", () => reject(new Error("upgrade accepted")))
      ws.on("error", () => undefined)
    })
    expect(status).toBe(404)
  })
})
