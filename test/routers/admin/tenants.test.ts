import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"
import { expectAdminError, expectTenantError, validatorOf } from "../../http/contract.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

const base = "/api/v1/admin/tenants"
const get = (id: string) => t.request(`${base}/${id}`, { admin: true })
const put = (id: string, body: unknown, headers: Record<string, string> = {}) => t.request(`${base}/${id}`, { method: "PUT", admin: true, body, headers })
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request(`${base}/${id}/runtime-config`, { method: "PUT", admin: true, body, headers })
const expectShape = (schema: string, body: unknown) => {
  const v = validatorOf(schema)
  expect(v(body), JSON.stringify(v.errors)).toBe(true)
}

const SECRET_DOC = {
  auth_token: "legacy-secret-token",
  webhook_secret: "whsec",
  openai_api_key: "sk-tenant",
  twilio: { account_sid: `AC${"0".repeat(32)}`, auth_token: "tw-secret", api_key_secret: "tw-key-secret", from_number: "+14155550100" },
  elevenlabs: { api_key: "el-secret" },
  voice: "alloy"
}

describe("tenant admin", () => {
  it("upsert then get: ETag header quotes the body etag; the contract's shapes", async () => {
    const res = await put("alpha", { tenant_id: "alpha", model: "gpt-realtime", voice: "alloy" })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ ok: true, tenant_id: "alpha" })
    expectShape("TenantMutationResponse", res.json)
    const etag = res.headers.get("etag")
    expect(etag).toMatch(/^".+"$/)

    const got = await get("alpha")
    expect(got.status).toBe(200)
    expectShape("TenantResponse", got.json)
    expect(got.json.config).toEqual({ tenant_id: "alpha", model: "gpt-realtime", voice: "alloy" })
    expect(got.headers.get("etag")).toBe(`"${String(got.json.etag)}"`)
    expect(got.headers.get("etag")).toBe(etag)
  })

  it("list paginates with limit/offset and counts every tenant", async () => {
    for (const id of ["beta", "gamma", "delta"]) await t.createTenant(id)
    const all = await t.request(`${base}?limit=500`, { admin: true })
    expectShape("ListTenantsResponse", all.json)
    const ids = (all.json.tenants as Array<{ tenant_id: string }>).map((x) => x.tenant_id)
    expect(ids).toEqual([...ids].sort())
    expect(all.json.count).toBe(ids.length)
    const page = await t.request(`${base}?limit=2&offset=1`, { admin: true })
    expect(page.json.count).toBe(ids.length)
    expect((page.json.tenants as Array<{ tenant_id: string }>).map((x) => x.tenant_id)).toEqual(ids.slice(1, 3))
    const past = await t.request(`${base}?offset=100`, { admin: true })
    expect(past.json.tenants).toEqual([])
    expect(past.json.count).toBe(ids.length)
  })

  it("If-Match: a match writes (200), a mismatch is 412 and changes nothing", async () => {
    const etag = (await get("alpha")).headers.get("etag")!
    const stale = await put("alpha", { voice: "verse" }, { "if-match": '"not-the-etag"' })
    expectAdminError(stale, 412)
    expect((await get("alpha")).json.config).toEqual({ tenant_id: "alpha", model: "gpt-realtime", voice: "alloy" })

    const ok = await put("alpha", { voice: "verse" }, { "if-match": etag })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.headers.get("etag")).not.toBe(etag)
    // The old etag is now stale.
    expectAdminError(await put("alpha", { voice: "ash" }, { "if-match": etag }), 412)
    expect((await get("alpha")).json.config).toEqual({ tenant_id: "alpha", voice: "verse" })
    // If-Match on a tenant that does not exist cannot match.
    expectAdminError(await put("nobody-here", { voice: "x" }, { "if-match": "*" }), 412)
    expectAdminError(await get("nobody-here"), 404)
  })

  it("concurrent writers holding the same ETag: exactly one wins, the rest get 412", async () => {
    await put("contended", { voice: "start" })
    const etag = (await get("contended")).headers.get("etag")!
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => patch("contended", { voice: `writer-${i}` }, { "if-match": etag })))
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412])
    const winner = results.find((r) => r.status === 200)!
    const stored = await get("contended")
    expect(stored.json.config).toEqual(winner.json.config)
    expect((await t.request(`${base}/contended/runtime`, { admin: true })).json.etag).toBe(stored.json.etag)
  })

  it("a body tenant_id that differs from the path is 400", async () => {
    expectAdminError(await put("alpha", { tenant_id: "other" }), 400)
    expectAdminError(await patch("alpha", { tenant_id: "other" }), 400)
    expect((await get("other")).status).toBe(404)
  })

  it("invalid documents and ids are rejected with the admin envelope", async () => {
    expectAdminError(await put("alpha", { webhook_url: "not a url" }), 400)
    expectAdminError(await put("alpha", { twilio: { from_number: "555" } }), 400)
    expectAdminError(await put("bad%20id", {}), 400)
    expectAdminError(await t.request(`${base}/alpha`, { method: "PUT", admin: true, rawBody: "[1,2]", headers: { "content-type": "application/json" } }), 400)
  })

  it("secrets are redacted on every read and '***' written back keeps them", async () => {
    expect((await put("secretive", SECRET_DOC)).status).toBe(200)
    const reads = [
      await get("secretive"),
      await t.request(`${base}/secretive/runtime`, { admin: true }),
      await t.request(`${base}/secretive/reload`, { method: "POST", admin: true }),
      await patch("secretive", { greeting: "hi" }),
      await t.request(`${base}?limit=500`, { admin: true })
    ]
    for (const r of reads) {
      expect(r.status, r.text).toBe(200)
      for (const secret of ["legacy-secret-token", "whsec", "sk-tenant", "tw-secret", "tw-key-secret", "el-secret"]) expect(r.text).not.toContain(secret)
    }
    const config = reads[0]!.json.config as typeof SECRET_DOC
    expect(config.auth_token).toBe("***")
    expect(config.twilio.auth_token).toBe("***")
    expect(config.twilio.api_key_secret).toBe("***")
    expect(config.elevenlabs.api_key).toBe("***")
    expect(config.twilio.account_sid).toBe(SECRET_DOC.twilio.account_sid)

    // A read-modify-write round trip must not replace the secrets with "***".
    expect((await put("secretive", { ...config, voice: "verse" })).status).toBe(200)
    const status = await t.request("/status", { token: "legacy-secret-token" })
    expect(status.status, status.text).toBe(200)
    expect(status.json.tenant).toBe("secretive")
    expectTenantError(await t.request("/status", { token: "***" }), 401)
  })

  it("runtime-config is a JSON merge patch (null deletes) that returns the new ETag", async () => {
    await put("patchy", { voice: "alloy", model: "m1", twilio: { from_number: "+14155550100", phone_numbers: ["+14155550101"] } })
    const before = await get("patchy")
    const res = await patch("patchy", { model: null, voice: "verse", twilio: { phone_numbers: null }, greeting: "hello" }, { "if-match": before.headers.get("etag")! })
    expect(res.status, res.text).toBe(200)
    expectShape("TenantResponse", res.json)
    expect(res.json.config).toEqual({ tenant_id: "patchy", voice: "verse", twilio: { from_number: "+14155550100" }, greeting: "hello" })
    expect(res.headers.get("etag")).toBe(`"${String(res.json.etag)}"`)
    expect((await get("patchy")).json.config).toEqual(res.json.config)

    expectAdminError(await patch("patchy", { voice: "ash" }, { "if-match": before.headers.get("etag")! }), 412)
    expect(((await get("patchy")).json.config as { voice: string }).voice).toBe("verse")
    expectAdminError(await patch("patchy", { webhook_url: "ftp://x" }), 400)
    expectAdminError(await patch("no-such-tenant", { voice: "x" }), 404)
  })

  it("validate: a valid document → 200 with its runtime summary; an invalid one → 400", async () => {
    const ok = await t.request(`${base}/validate`, { admin: true, body: { tenant_id: "v", voice: "alloy", auth_token: "x" } })
    expect(ok.status, ok.text).toBe(200)
    expectShape("ValidateTenantResponse", ok.json)
    expect(ok.json.ok).toBe(true)
    expect(ok.json.runtime).toMatchObject({ tenant_id: "v", voice: "alloy", legacy_bearer_configured: true })
    expect(ok.text).not.toContain('"x"')
    expectAdminError(await t.request(`${base}/validate`, { admin: true, body: { tenant_id: "v", audio_output_provider: "bogus" } }), 400)
    expect((await get("v")).status).toBe(404)
  })

  it("delete → 404 afterwards, and the tenant's credentials stop working", async () => {
    await t.createTenant("doomed", { auth_token: "doomed-legacy" })
    const { token } = await t.createKey("doomed")
    expect((await t.request("/status", { token })).status).toBe(200)
    const res = await t.request(`${base}/doomed`, { method: "DELETE", admin: true })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ ok: true, tenant_id: "doomed" })
    expectAdminError(await get("doomed"), 404)
    expectAdminError(await t.request(`${base}/doomed/runtime`, { admin: true }), 404)
    expectAdminError(await t.request(`${base}/doomed`, { method: "DELETE", admin: true }), 404)
    expectTenantError(await t.request("/status", { token }), 401)
    expectTenantError(await t.request("/status", { token: "doomed-legacy" }), 401)
  })
})
