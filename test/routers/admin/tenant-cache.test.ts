import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"
import { expectAdminError, validatorOf } from "../../http/contract.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

interface Metrics {
  cache_entries: number
  hits: number
  misses: number
  reloads: number
  evictions: number
}
interface TokenItem extends Omit<Metrics, "cache_entries"> {
  cache_key: string
  tenant_id: string
  cache_present: boolean
}

const base = "/api/v1/admin/tenants"
const metrics = async (): Promise<Metrics> => {
  const r = await t.request(`${base}/cache-metrics`, { admin: true })
  expect(r.status).toBe(200)
  expect(validatorOf("AdminTenantCacheMetricsResponse")(r.json)).toBe(true)
  return r.json as unknown as Metrics
}
const byToken = async (cacheKey: string): Promise<TokenItem | undefined> => {
  const r = await t.request(`${base}/cache-metrics/by-token`, { admin: true })
  expect(r.status).toBe(200)
  expect(validatorOf("AdminTenantTokenCacheMetricsResponse")(r.json)).toBe(true)
  return (r.json.items as Array<TokenItem>).find((i) => i.cache_key === cacheKey)
}
const evictAll = () => t.request(`${base}/evict-idle?max_idle_secs=0`, { method: "POST", admin: true })
const delta = (a: Metrics, b: Metrics) => ({ hits: b.hits - a.hits, misses: b.misses - a.misses, reloads: b.reloads - a.reloads, evictions: b.evictions - a.evictions })

describe("tenant cache administration", () => {
  it("runtime reads count hits and misses; evict-idle empties the cache", async () => {
    await t.createTenant("cache-a", { voice: "alloy" })
    const m0 = await metrics()
    expect(m0.cache_entries).toBeGreaterThanOrEqual(1)

    const hit = await t.request(`${base}/cache-a/runtime`, { admin: true })
    expect(hit.status).toBe(200)
    expect(hit.json.config).toEqual({ tenant_id: "cache-a", voice: "alloy" })
    expect(hit.headers.get("etag")).toBe(`"${String(hit.json.etag)}"`)
    expect(delta(m0, await metrics())).toEqual({ hits: 1, misses: 0, reloads: 0, evictions: 0 })

    const m1 = await metrics()
    const ev = await evictAll()
    expect(ev.status, ev.text).toBe(200)
    expect(validatorOf("AdminEvictIdleResponse")(ev.json)).toBe(true)
    expect(ev.json).toEqual({ ok: true, evicted: m1.cache_entries, remaining: 0 })
    const m2 = await metrics()
    expect(m2.cache_entries).toBe(0)
    expect(delta(m1, m2).evictions).toBe(m1.cache_entries)

    expect((await t.request(`${base}/cache-a/runtime`, { admin: true })).status).toBe(200)
    const m3 = await metrics()
    expect(delta(m2, m3)).toEqual({ hits: 0, misses: 1, reloads: 0, evictions: 0 })
    expect(m3.cache_entries).toBe(1)
  })

  it("evict-idle keeps recently used entries and validates its parameter", async () => {
    const r = await t.request(`${base}/evict-idle?max_idle_secs=3600`, { method: "POST", admin: true })
    expect(r.json).toMatchObject({ ok: true, evicted: 0 })
    const defaulted = await t.request(`${base}/evict-idle`, { method: "POST", admin: true })
    expect(defaulted.json).toMatchObject({ ok: true, evicted: 0 })
    for (const bad of ["-1", "abc", "1.5"]) expectAdminError(await t.request(`${base}/evict-idle?max_idle_secs=${bad}`, { method: "POST", admin: true }), 400)
  })

  it("reload and reload-cached re-read the database; cached lists the entries", async () => {
    const m0 = await metrics()
    const reload = await t.request(`${base}/cache-a/reload`, { method: "POST", admin: true })
    expect(reload.status).toBe(200)
    expect(delta(m0, await metrics()).reloads).toBe(1)

    const cached = await t.request(`${base}/cached`, { admin: true })
    expect(validatorOf("AdminCachedTenantsResponse")(cached.json)).toBe(true)
    const ids = (cached.json.tenants as Array<{ tenant_id: string }>).map((x) => x.tenant_id)
    expect(ids).toContain("cache-a")
    expect(cached.json.count).toBe(ids.length)

    const m1 = await metrics()
    const all = await t.request(`${base}/reload-cached`, { method: "POST", admin: true })
    expect(validatorOf("AdminReloadCachedTenantsResponse")(all.json)).toBe(true)
    expect(all.json).toEqual({ ok: true, attempted: ids.length, reloaded: ids.length, failures: [] })
    expect(delta(m1, await metrics()).reloads).toBe(ids.length)
    expectAdminError(await t.request(`${base}/never-existed/reload`, { method: "POST", admin: true }), 404)
  })

  it("a tenant removed behind the cache's back is reported and evicted by reload-cached", async () => {
    await t.createTenant("cache-gone")
    expect((await t.request(`${base}/cache-gone/runtime`, { admin: true })).status).toBe(200)
    // Another instance deleted it: the row goes, this instance's cache does not know.
    await t.app.runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM tenants WHERE tenant_id = 'cache-gone'`))
    const m0 = await metrics()
    const all = await t.request(`${base}/reload-cached`, { method: "POST", admin: true })
    expect(all.json.failures).toEqual([{ tenant_id: "cache-gone", error: expect.any(String) }])
    expect(all.json.reloaded).toBe((all.json.attempted as number) - 1)
    const m1 = await metrics()
    expect(delta(m0, m1).evictions).toBe(1)
    expect(m1.cache_entries).toBe(m0.cache_entries - 1)
  })

  it("by-token counters follow the API key's lookups", async () => {
    await t.createTenant("cache-tok")
    const { token } = await t.createKey("cache-tok")
    const prefix = token.slice(0, 11)
    expect(await byToken(prefix)).toBeUndefined()

    expect((await t.request("/status", { token })).status).toBe(200)
    expect((await t.request("/status", { token })).status).toBe(200)
    expect(await byToken(prefix)).toMatchObject({ tenant_id: "cache-tok", cache_present: true, hits: 2, misses: 0, reloads: 0, evictions: 0 })

    await t.request(`${base}/cache-tok/reload`, { method: "POST", admin: true })
    await evictAll()
    expect(await byToken(prefix)).toMatchObject({ cache_present: false, reloads: 1, evictions: 1 })
    expect((await t.request("/status", { token })).status).toBe(200)
    expect(await byToken(prefix)).toMatchObject({ cache_present: true, hits: 2, misses: 1 })

    const limited = await t.request(`${base}/cache-metrics/by-token?limit=0`, { admin: true })
    expect(limited.json).toMatchObject({ ok: true, count: 0, items: [] })
    expectAdminError(await t.request(`${base}/cache-metrics/by-token?limit=abc`, { admin: true }), 400)
  })
})
