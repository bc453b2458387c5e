import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client"
import superjson from "superjson"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { AppRouter } from "../../routers/index.js"
import { ADMIN_KEY, startTestApp, type TestApp } from "../support/app.js"

let t: TestApp
let key: string
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("rpc", { voice: "alloy", auth_token: "rpc-legacy-secret" })
  key = (await t.createKey("rpc")).token
})
afterAll(async () => t?.close())

const client = (headers: Record<string, string>) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${t.url}/trpc`, transformer: superjson, headers })] })
const admin = () => client({ "x-admin-key": ADMIN_KEY })

/** The failure a tRPC call ends with, asserting it is one. */
const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  )
  expect(e).toBeInstanceOf(TRPCClientError)
  return (e as TRPCClientError<AppRouter>).data as unknown as { code: string; httpStatus: number; request_id: string | null }
}

describe("tRPC surface", () => {
  it("admin.tenants.get returns the REST body, snake_case, secrets redacted", async () => {
    const viaTrpc = await admin().admin.tenants.get.query({ tenant_id: "rpc" })
    const viaRest = await t.request("/api/v1/admin/tenants/rpc", { admin: true })
    expect(viaTrpc).toEqual(viaRest.json)
    expect(viaTrpc.tenant_id).toBe("rpc")
    expect(viaTrpc.config.auth_token).toBe("***")
  })

  it("lists, mutations and key creation match their REST shapes", async () => {
    const list = await admin().admin.tenants.list.query({ limit: 10 })
    expect(list).toEqual((await t.request("/api/v1/admin/tenants?limit=10", { admin: true })).json)
    const saved = await admin().admin.tenants.patchRuntime.mutate({ tenant_id: "rpc", voice: "verse" })
    expect(saved.config).toMatchObject({ tenant_id: "rpc", voice: "verse" })
    const created = await admin().admin.apiKeys.create.mutate({ tenant_id: "rpc", label: "rpc" })
    expect(created.created.token).toMatch(/^vk_/)
    expect(created.created.api_key.key_prefix).toBe(created.created.token.slice(0, 11))
    const metrics = await admin().admin.tenantCache.metrics.query({})
    expect(metrics).toHaveProperty("cache_entries")
  })

  it("tenant procedures authenticate with the bearer key", async () => {
    const status = await client({ authorization: `Bearer ${key}` }).health.status.query({})
    expect(status.tenant).toBe("rpc")
    const health = await client({ authorization: `Bearer ${key}` }).health.health.query({})
    expect(health.tenant).toBe("rpc")
  })

  it("failures carry the REST code and HTTP status in data", async () => {
    const notFound = await failure(admin().admin.tenants.get.query({ tenant_id: "missing" }))
    expect(notFound).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 })
    expect(notFound.request_id).toEqual(expect.any(String))

    expect(await failure(client({}).admin.tenants.get.query({ tenant_id: "rpc" }))).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 })
    expect(await failure(client({ authorization: `Bearer ${key}` }).admin.tenants.get.query({ tenant_id: "rpc" }))).toMatchObject({ code: "FORBIDDEN", httpStatus: 403 })
    expect(await failure(admin().health.status.query({}))).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 })
    expect(await failure(admin().admin.tenants.list.query({ limit: -1 }))).toMatchObject({ code: "VALIDATION_ERROR", httpStatus: 400 })
    expect(await failure(admin().admin.tenants.upsert.mutate({ tenant_id: "rpc", webhook_url: "nope" }))).toMatchObject({ code: "VALIDATION_ERROR", httpStatus: 400 })

    const etag = (await admin().admin.tenants.get.query({ tenant_id: "rpc" })).etag
    expect(etag.length).toBeGreaterThan(0)
    const stale = await failure(
      client({ "x-admin-key": ADMIN_KEY, "if-match": '"stale"' }).admin.tenants.patchRuntime.mutate({ tenant_id: "rpc", voice: "ash" })
    )
    expect(stale).toMatchObject({ code: "PRECONDITION_FAILED", httpStatus: 412 })
  })

  it("REST and tRPC agree on the code for the same failure", async () => {
    const rest = await t.request("/api/v1/admin/tenants/rpc/api-keys/not-a-uuid", { method: "DELETE", admin: true })
    const rpc = await failure(admin().admin.apiKeys.revoke.mutate({ tenant_id: "rpc", key_id: "not-a-uuid" }))
    expect(rpc.httpStatus).toBe(rest.status)
    expect(rpc.code).toBe("NOT_FOUND")
  })
})
