import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"
import { expectAdminError, validatorOf } from "../../http/contract.js"

// Plain ADMIN_PASSWORD over http: the cookie must not be Secure. Failures are counted per
// username AND per IP, and every request here comes from 127.0.0.1, so this file makes
// no failed login before the lockout test, which runs last.
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ ADMIN_USERNAME: "root-admin", ADMIN_PASSWORD: "correct horse battery" })
})
afterAll(async () => t?.close())

const login = (username: string, password: string) => t.request("/api/v1/admin/auth/login", { body: { username, password } })
const sessionCookieOf = (setCookie: string) => setCookie.split(";")[0]!

describe("admin login with ADMIN_USERNAME + ADMIN_PASSWORD", () => {
  let cookie = ""

  it("sets an HttpOnly, SameSite=Strict session cookie (not Secure over http)", async () => {
    const res = await login("root-admin", "correct horse battery")
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ ok: true, username: "root-admin" })
    expect(validatorOf("AdminLoginResponse")(res.json)).toBe(true)
    const [setCookie] = res.headers.getSetCookie()
    expect(setCookie).toBeDefined()
    const attrs = setCookie!.split(";").map((s) => s.trim())
    expect(attrs[0]).toMatch(/^stateset_admin_session=[A-Za-z0-9_-]{20,}$/)
    expect(attrs).toContain("HttpOnly")
    expect(attrs).toContain("SameSite=Strict")
    expect(attrs).toContain("Path=/")
    expect(attrs.find((a) => a.startsWith("Max-Age="))).toMatch(/^Max-Age=[1-9]\d*$/)
    expect(attrs).not.toContain("Secure")
    cookie = sessionCookieOf(setCookie!)
  })

  it("the cookie authorizes admin operations and shows in the session status", async () => {
    const list = await t.request("/api/v1/admin/tenants", { headers: { cookie } })
    expect(list.status, list.text).toBe(200)
    const status = await t.request("/api/v1/admin/auth/session", { headers: { cookie } })
    expect(validatorOf("AdminSessionStatusResponse")(status.json)).toBe(true)
    expect(status.json).toMatchObject({ ok: true, login_enabled: true, authenticated: true, username: "root-admin" })
    const anonymous = await t.request("/api/v1/admin/auth/session")
    expect(anonymous.json).toMatchObject({ login_enabled: true, authenticated: false })
  })

  it("a forged or foreign cookie authorizes nothing", async () => {
    expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { cookie: "stateset_admin_session=forged" } }), 401)
    expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { cookie: `other=${cookie.split("=")[1]}` } }), 401)
    // A malformed %-escape is a bad credential (401), not a server error.
    for (const bad of ["stateset_admin_session=%E0%A4%A", "stateset_admin_session=%"]) {
      expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { cookie: bad } }), 401)
      expect((await t.request("/api/v1/admin/auth/session", { headers: { cookie: bad } })).json.authenticated).toBe(false)
    }
  })

  it("logout clears the cookie and the old cookie stops working", async () => {
    const res = await t.request("/api/v1/admin/auth/logout", { method: "POST", headers: { cookie }, body: {} })
    expect(res.status, res.text).toBe(200)
    expect(res.json).toMatchObject({ ok: true, authenticated: false })
    const [cleared] = res.headers.getSetCookie()
    expect(cleared).toMatch(/^stateset_admin_session=;/)
    expect(cleared).toContain("Max-Age=0")
    expectAdminError(await t.request("/api/v1/admin/tenants", { headers: { cookie } }), 401)
    expect((await t.request("/api/v1/admin/auth/session", { headers: { cookie } })).json.authenticated).toBe(false)
  })

  it("the admin key still works beside login", async () => {
    expect((await t.request("/api/v1/admin/tenants", { admin: true })).status).toBe(200)
  })

  it("a malformed login body is 400", async () => {
    expectAdminError(await t.request("/api/v1/admin/auth/login", { body: { username: "root-admin" } }), 400)
  })

  it("five wrong passwords lock the login out with 429 and Retry-After (last: it locks this IP)", async () => {
    const user = "lockout-user"
    for (let i = 0; i < 5; i++) expectAdminError(await login(user, `wrong-${i}`), 401)
    const locked = await login(user, "wrong-again")
    expectAdminError(locked, 429)
    const retry = Number(locked.headers.get("retry-after"))
    expect(Number.isInteger(retry) && retry > 0 && retry <= 15 * 60).toBe(true)
    // Even the right credentials wait out the lock from this address.
    expectAdminError(await login("root-admin", "correct horse battery"), 429)
  })
})
