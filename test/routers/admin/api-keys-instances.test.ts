import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"

// Two instances over one real Postgres: a key cached by one must stop working there as soon as
// the other revokes it (NOTIFY), not after the cache's TTL. The embedded database is one process.
const onPostgres = process.env.DATABASE_URL !== undefined

let a: TestApp
let b: TestApp
beforeAll(async () => {
  if (!onPostgres) return
  a = await startTestApp()
  b = await startTestApp({}, a.db)
})
afterAll(async () => {
  await b?.app.shutdown()
  await a?.close()
})

const rejectedWithin = async (t: TestApp, token: string, ms: number): Promise<number> => {
  const started = Date.now()
  while (Date.now() - started < ms) {
    if ((await t.request("/status", { token })).status === 401) return Date.now() - started
    await new Promise((r) => setTimeout(r, 20))
  }
  return -1
}

describe.skipIf(!onPostgres)("API key revocation across instances", () => {
  it("a key revoked on one instance is rejected by another that had it cached", async () => {
    await a.createTenant("multi")
    const { token, id } = await a.createKey("multi")
    expect((await b.request("/status", { token })).status).toBe(200)
    expect((await b.request("/status", { token })).status).toBe(200)
    const revoked = await a.request(`/api/v1/admin/tenants/multi/api-keys/${id}`, { method: "DELETE", admin: true })
    expect(revoked.status).toBe(200)
    // Well under the 5 s cache bound: the other instance heard about it.
    const after = await rejectedWithin(b, token, 2_000)
    expect(after).toBeGreaterThanOrEqual(0)
  })

  it("deleting the tenant on one instance drops its cached keys on the other", async () => {
    await a.createTenant("gone")
    const { token } = await a.createKey("gone")
    expect((await b.request("/status", { token })).status).toBe(200)
    expect((await a.request("/api/v1/admin/tenants/gone", { method: "DELETE", admin: true })).status).toBe(200)
    await a.createTenant("gone")
    expect(await rejectedWithin(b, token, 2_000)).toBeGreaterThanOrEqual(0)
  })
})
