import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"

let t: TestApp
type Json = Record<string, unknown>
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("acme", { auth_token: "acme-legacy-token", org_id: "org-1", display_name: "Acme Inc." })
  await t.createTenant("eleven", { audio_output_provider: "elevenlabs", elevenlabs: { api_key: "k", voice_id: "v" } })
  await t.createTenant("halfeleven", { audio_output_provider: "elevenlabs", elevenlabs: { api_key: "k" } })
  await t.createTenant("noeleven", { audio_output_provider: "elevenlabs" })
})
afterAll(async () => t?.close())

const PATH = "/api/v1/admin/tenants/audio-providers"

describe("voice dashboard bootstrap", () => {
  it("lists every tenant with its stored legacy token for the admin", async () => {
    const r = await t.request("/api/v1/admin/voice-dashboard/bootstrap", { admin: true })
    expect(r.status, r.text).toBe(200)
    expect(r.json).toMatchObject({ ok: true, actor: "admin_key", count: 4 })
    const tenants = r.json.tenants as Array<Json>
    expect(tenants[0]).toEqual({ tenant_id: "acme", auth_token: "acme-legacy-token", display_name: "Acme Inc.", org_id: "org-1" })
    expect(tenants.find((x) => x.tenant_id === "eleven")).toEqual({ tenant_id: "eleven", auth_token: "", display_name: null, org_id: null })
  })

  it("is admin-only", async () => {
    expect((await t.request("/api/v1/admin/voice-dashboard/bootstrap")).status).toBe(401)
    const legacy = await t.request("/api/v1/admin/voice-dashboard/bootstrap", { token: "acme-legacy-token" })
    expect(legacy.status).toBe(403)
    expect(legacy.json.ok).toBe(false)
  })
})

describe("audio provider diagnostics", () => {
  it("wins over /tenants/{tenant_id} and reports only cached tenants by default", async () => {
    // Empty the cache, then load one tenant back into it.
    expect((await t.request("/api/v1/admin/tenants/evict-idle?max_idle_secs=0", { method: "POST", admin: true })).status).toBe(200)
    expect((await t.request("/api/v1/admin/tenants/eleven/reload", { method: "POST", admin: true })).status).toBe(200)
    const r = await t.request(PATH, { admin: true })
    expect(r.status, r.text).toBe(200)
    expect(r.json).toMatchObject({ ok: true, include_uncached_requested: false, cached_tenants: 1, uncached_tenants: 0, evaluated_tenants: 1, count: 1 })
    expect(r.json.items).toEqual([
      {
        tenant_id: "eleven",
        cached: true,
        configured_provider: "elevenlabs",
        effective_provider: "elevenlabs",
        fallback_active: false,
        fallback_reason: null,
        elevenlabs_configured: true,
        elevenlabs_ready: true,
        active_sessions: 0
      }
    ])
  })

  it("with include_uncached evaluates every stored tenant from its config", async () => {
    const r = await t.request(`${PATH}?include_uncached=true`, { admin: true })
    expect(r.status, r.text).toBe(200)
    const byId = Object.fromEntries((r.json.items as Array<Json>).map((i) => [i.tenant_id, i]))
    expect(r.json).toMatchObject({
      include_uncached_requested: true,
      uncached_scan_supported: true,
      cached_tenants: 1,
      uncached_tenants: 3,
      evaluated_tenants: 4,
      count: 4,
      configured_openai: 1,
      configured_elevenlabs: 3,
      effective_openai: 3,
      effective_elevenlabs: 1,
      fallback_active: 2,
      fallback_not_configured: 1,
      fallback_unavailable: 1
    })
    expect(byId.acme).toMatchObject({ cached: false, configured_provider: "openai", effective_provider: "openai", fallback_active: false, fallback_reason: null })
    expect(byId.eleven).toMatchObject({ cached: true, effective_provider: "elevenlabs" })
    expect(byId.halfeleven).toMatchObject({ effective_provider: "openai", elevenlabs_configured: true, elevenlabs_ready: false, fallback_active: true, fallback_reason: "elevenlabs_unavailable" })
    expect(byId.noeleven).toMatchObject({ effective_provider: "openai", elevenlabs_configured: false, fallback_reason: "elevenlabs_not_configured" })
  })

  it("limits the rows, not the totals, and checks the query", async () => {
    const r = await t.request(`${PATH}?include_uncached=true&limit=1`, { admin: true })
    expect(r.json).toMatchObject({ count: 1, evaluated_tenants: 4 })
    expect(r.json.items).toHaveLength(1)
    expect((await t.request(`${PATH}?include_uncached=false`, { admin: true })).json.evaluated_tenants).toBe(1)
    for (const q of ["limit=-1", "include_uncached=maybe"]) {
      const bad = await t.request(`${PATH}?${q}`, { admin: true })
      expect(bad.status, q).toBe(400)
      expect(bad.json.ok).toBe(false)
    }
  })

  it("is admin-only", async () => {
    expect((await t.request(PATH)).status).toBe(401)
    expect((await t.request(PATH, { token: "acme-legacy-token" })).status).toBe(403)
  })
})
