import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../../support/app.js"
import { expectAdminError, expectTenantError, validatorOf } from "../../http/contract.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("keys-a")
  await t.createTenant("keys-b")
})
afterAll(async () => t?.close())

interface KeyMeta {
  id: string
  key_prefix: string
  label: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

const keysOf = async (tenant: string): Promise<Array<KeyMeta>> => {
  const r = await t.request(`/api/v1/admin/tenants/${tenant}/api-keys`, { admin: true })
  expect(r.status, r.text).toBe(200)
  expect(validatorOf("AdminTenantApiKeysResponse")(r.json)).toBe(true)
  expect(r.json.count).toBe((r.json.api_keys as Array<unknown>).length)
  return r.json.api_keys as Array<KeyMeta>
}
const revoke = (tenant: string, id: string) => t.request(`/api/v1/admin/tenants/${tenant}/api-keys/${id}`, { method: "DELETE", admin: true })

describe("tenant API keys", () => {
  it("the token is shown once; the list shows only its prefix", async () => {
    const res = await t.request("/api/v1/admin/tenants/keys-a/api-keys", { admin: true, body: { label: "ci" } })
    expect(res.status, res.text).toBe(200)
    expect(validatorOf("AdminCreatedTenantApiKeyResponse")(res.json)).toBe(true)
    const created = res.json.created as { token: string; api_key: KeyMeta }
    expect(created.token).toMatch(/^vk_[A-Za-z0-9_-]{43}$/)
    expect(created.api_key).toMatchObject({ label: "ci", key_prefix: created.token.slice(0, 11), last_used_at: null, revoked_at: null })

    const list = await t.request("/api/v1/admin/tenants/keys-a/api-keys", { admin: true })
    expect(list.text).not.toContain(created.token)
    expect(list.text).not.toContain(created.token.slice(11))
    const [meta] = (list.json.api_keys as Array<KeyMeta>).filter((k) => k.id === created.api_key.id)
    expect(meta).toEqual(created.api_key)
    // The prefix alone is not a credential.
    expectTenantError(await t.request("/status", { token: created.token.slice(0, 11) }), 401)
  })

  it("a label is optional and two keys of one tenant are distinct", async () => {
    const res = await t.request("/api/v1/admin/tenants/keys-a/api-keys", { admin: true, body: {} })
    expect(res.status).toBe(200)
    const created = res.json.created as { token: string; api_key: KeyMeta }
    expect(created.api_key.label).toBeNull()
    const other = await t.createKey("keys-a")
    expect(other.token).not.toBe(created.token)
    expect((await keysOf("keys-a")).length).toBe(3)
  })

  it("last_used_at is set once the key is used", async () => {
    const { token, id } = await t.createKey("keys-b", "usage")
    expect((await keysOf("keys-b")).find((k) => k.id === id)?.last_used_at).toBeNull()
    expect((await t.request("/status", { token })).status).toBe(200)
    const used = (await keysOf("keys-b")).find((k) => k.id === id)
    expect(used?.last_used_at).not.toBeNull()
    expect(Date.parse(used!.last_used_at!)).toBeGreaterThanOrEqual(Date.parse(used!.created_at))
  })

  it("revoking stops the key at once; a second revoke is idempotent", async () => {
    const { token, id } = await t.createKey("keys-a", "short-lived")
    expect((await t.request("/status", { token })).status).toBe(200)
    const res = await revoke("keys-a", id)
    expect(res.status, res.text).toBe(200)
    expect(validatorOf("AdminTenantApiKeyResponse")(res.json)).toBe(true)
    const meta = res.json.api_key as KeyMeta
    expect(meta.revoked_at).not.toBeNull()
    expectTenantError(await t.request("/status", { token }), 401, "UNAUTHORIZED")
    expectTenantError(await t.request("/health", { token }), 401, "UNAUTHORIZED")

    const again = await revoke("keys-a", id)
    expect(again.status).toBe(200)
    expect((again.json.api_key as KeyMeta).revoked_at).toBe(meta.revoked_at)
    expect((await keysOf("keys-a")).find((k) => k.id === id)?.revoked_at).toBe(meta.revoked_at)
  })

  it("unknown, malformed and other tenants' key ids are 404, and nothing is revoked", async () => {
    const { token, id } = await t.createKey("keys-a", "victim")
    expectAdminError(await revoke("keys-a", randomUUID()), 404)
    expectAdminError(await revoke("keys-a", "not-a-uuid"), 404)
    expectAdminError(await revoke("keys-a", `${id}x`), 404)
    expectAdminError(await revoke("keys-b", id), 404)
    expectAdminError(await revoke("no-such-tenant", id), 404)
    expect((await t.request("/status", { token })).status).toBe(200)
    expect((await keysOf("keys-a")).find((k) => k.id === id)?.revoked_at).toBeNull()
  })

  it("a deleted tenant's key does not authenticate a tenant re-created under its id", async () => {
    await t.createTenant("keys-reborn")
    const { token } = await t.createKey("keys-reborn", "old")
    expect((await t.request("/status", { token })).status).toBe(200)
    expect((await t.request("/api/v1/admin/tenants/keys-reborn", { method: "DELETE", admin: true })).status).toBe(200)
    await t.createTenant("keys-reborn")
    expectTenantError(await t.request("/status", { token }), 401, "UNAUTHORIZED")
  })

  it("listing or creating keys for an unknown tenant is 404", async () => {
    expectAdminError(await t.request("/api/v1/admin/tenants/ghost/api-keys", { admin: true }), 404)
    expectAdminError(await t.request("/api/v1/admin/tenants/ghost/api-keys", { admin: true, body: { label: "x" } }), 404)
    expectAdminError(await t.request("/api/v1/admin/tenants/keys-a/api-keys", { admin: true, body: { label: "x".repeat(201) } }), 400)
  })
})
