import { createHash } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"
import { expectAdminError } from "../../http/contract.js"

// Login is the only admin credential here (no ADMIN_API_KEY), behind an https public URL.
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({
    ADMIN_API_KEY: undefined,
    ADMIN_USERNAME: "ops",
    ADMIN_PASSWORD_SHA256: createHash("sha256").update("s3cret-Pass").digest("hex").toUpperCase(),
    PUBLIC_BASE_URL: "https://voice.example.com"
  })
})
afterAll(async () => t?.close())

const login = (username: string, password: string) => t.request("/api/v1/admin/auth/login", { body: { username, password } })

describe("admin login with ADMIN_PASSWORD_SHA256 behind https", () => {
  it("accepts the password whose digest is configured and marks the cookie Secure", async () => {
    const res = await login("ops", "s3cret-Pass")
    expect(res.status, res.text).toBe(200)
    const [setCookie] = res.headers.getSetCookie()
    const attrs = setCookie!.split(";").map((s) => s.trim())
    expect(attrs).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Strict", "Path=/", "Secure"]))
    const cookie = attrs[0]!
    expect((await t.request("/api/v1/admin/tenants", { headers: { cookie } })).status).toBe(200)
  })

  it("wrong password, wrong username and the digest itself as password are 401", async () => {
    expectAdminError(await login("ops", "s3cret-pass"), 401)
    expectAdminError(await login("OPS", "s3cret-Pass"), 401)
    expectAdminError(await login("ops", createHash("sha256").update("s3cret-Pass").digest("hex")), 401)
  })

  it("without ADMIN_API_KEY an x-admin-key header is no credential, but admin stays enabled", async () => {
    expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { "x-admin-key": "" } }), 401)
    expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { "x-admin-key": "anything" } }), 401)
    expectAdminError(await t.request("/api/v1/admin/tenants"), 401)
    const status = await t.request("/api/v1/admin/auth/session", { headers: { "x-admin-key": "anything" } })
    expect(status.json).toMatchObject({ login_enabled: true, authenticated: false })
  })

  it("a concurrent burst of wrong passwords gets at most five evaluated, the rest 429 (last: it locks this IP)", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login("burst-user", `guess-${i}`)))
    const statuses = results.map((r) => r.status)
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15)
  })
})
