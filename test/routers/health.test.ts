import { request as httpRequest } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Health } from "../../effects/Health.js"
import { ADMIN_KEY, startTestApp, type TestApp } from "../support/app.js"
import { validatorOf } from "../http/contract.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

interface Check {
  name: string
  ready: boolean
  status: string
  details: Record<string, unknown>
}
const checkOf = (body: Record<string, unknown>, name: string) => (body.checks as Array<Check>).find((c) => c.name === name)

describe("health probes", () => {
  it("/health/live answers 200 with a fresh heartbeat", async () => {
    const res = await t.request("/health/live")
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ alive: true, uptime_seconds: expect.any(Number) })
    expect(res.json.heartbeat_age_ms as number).toBeLessThan(5000)
  })

  it("liveness stays alive past the 5-second staleness limit (the heartbeat keeps beating)", async () => {
    await new Promise((r) => setTimeout(r, 6_000))
    const res = await t.request("/health/live")
    expect(res.status, res.text).toBe(200)
    expect(res.json.alive).toBe(true)
    expect(res.json.uptime_seconds as number).toBeGreaterThanOrEqual(5)
  }, 20_000)

  it("/health/ready answers 200 with database and migrations checks", async () => {
    const res = await t.request("/health/ready")
    expect(res.status).toBe(200)
    expect(validatorOf("ReadinessResponse")(res.json)).toBe(true)
    expect(res.json).toMatchObject({ ready: true, status: "ready" })
    expect(checkOf(res.json, "database")).toMatchObject({ ready: true, status: "connected" })
    const migrations = checkOf(res.json, "migrations")!
    expect(migrations).toMatchObject({ ready: true, status: "applied" })
    expect(migrations.details.applied).toBe(migrations.details.latest)
    expect(migrations.details.latest as number).toBeGreaterThanOrEqual(1)
  })

  it("once shutdown begins, readiness answers 503 while liveness and requests still work", async () => {
    await t.app.runtime.runPromise(Health.beginShutdown)
    const res = await t.request("/health/ready")
    expect(res.status).toBe(503)
    expect(validatorOf("ReadinessResponse")(res.json)).toBe(true)
    expect(res.json).toMatchObject({ ready: false, status: "not_ready" })
    expect(checkOf(res.json, "shutdown")).toMatchObject({ ready: false, status: "draining" })
    expect(checkOf(res.json, "database")?.ready).toBe(true)
    expect((await t.request("/health/live")).status).toBe(200)
    expect((await t.request("/api/v1/admin/tenants", { admin: true })).status).toBe(200)
  })

  it("shutdown lets an in-flight request finish, then stops accepting connections", async () => {
    // A request whose body is still arriving when shutdown starts.
    let finish!: () => void
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${t.url}/api/v1/admin/tenants/validate`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-admin-key": ADMIN_KEY }
      }, (res) => {
        let body = ""
        res.on("data", (c: Buffer) => (body += c.toString()))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on("error", reject)
      req.write('{"tenant_id":')
      req.flushHeaders()
      finish = () => req.end('"late", "voice": "alloy"}')
    })
    await new Promise((r) => setTimeout(r, 100))
    const stopped = t.app.shutdown()
    await new Promise((r) => setTimeout(r, 100))
    finish()
    const res = await answered
    expect(res.status, res.body).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true })
    await stopped
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow()
  })
})
