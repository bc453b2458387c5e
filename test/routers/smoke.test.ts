import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

describe("first run", () => {
  it("creates a tenant and key, then calls /status with it", async () => {
    await t.createTenant("acme")
    const { token } = await t.createKey("acme")
    const r = await t.request("/status", { token })
    expect(r.status).toBe(200)
    expect(r.json.tenant).toBe("acme")
  })
})
