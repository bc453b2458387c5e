import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type RunningApp, startApp } from "../../src/app.js"
import { freshDatabase, type TestDatabase } from "./database.js"

export const ADMIN_KEY = "test-admin-key-0123456789"

export interface ApiResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  // eslint-style escape hatch avoided: tests read fields through `json` typed as a record.
  readonly json: Record<string, unknown> & { [k: string]: unknown }
}

export interface RequestOptions {
  readonly method?: string
  readonly body?: unknown
  readonly rawBody?: string
  readonly headers?: Record<string, string>
  readonly admin?: boolean
  readonly token?: string
}

export interface TestApp {
  readonly app: RunningApp
  readonly db: TestDatabase
  readonly url: string
  readonly request: (path: string, opts?: RequestOptions) => Promise<ApiResponse>
  readonly createTenant: (tenantId: string, config?: Record<string, unknown>) => Promise<void>
  readonly createKey: (tenantId: string, label?: string) => Promise<{ token: string; id: string }>
  readonly close: () => Promise<void>
}

/** A real server on a random port over a fresh database; `env` overrides the defaults. */
export const startTestApp = async (env: Record<string, string | undefined> = {}, reuseDb?: TestDatabase): Promise<TestApp> => {
  const db = reuseDb ?? (await freshDatabase())
  // Local state (spooled call records) per app: never the shared ./.data of the checkout.
  const stateDir = mkdtempSync(join(tmpdir(), "voice-api-state-"))
  const app = await startApp({
    DATA_DIR: stateDir,
    PORT: "0",
    HOST: "127.0.0.1",
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: "error",
    RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
    RATE_LIMIT_PER_TENANT_PER_MINUTE: "1000000",
    STREAM_AUTH_SECRET: "test-stream-secret",
    DB_POOL_SIZE: "4",
    ...db.env,
    ...env
  })

  const request = async (path: string, opts: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.admin) headers["x-admin-key"] = ADMIN_KEY
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    let body: string | undefined = opts.rawBody
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body)
      headers["content-type"] ??= "application/json"
    }
    const res = await fetch(`${app.url}${path}`, { method: opts.method ?? (body !== undefined ? "POST" : "GET"), headers, ...(body !== undefined ? { body } : {}) })
    const text = await res.text()
    let json: ApiResponse["json"] = {}
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === "object" && parsed !== null) json = parsed as ApiResponse["json"]
    } catch {
      // non-JSON answers (text/plain, HTML) are read through `text`
    }
    return { status: res.status, headers: res.headers, text, json }
  }

  const createTenant = async (tenantId: string, config: Record<string, unknown> = {}) => {
    const r = await request(`/api/v1/admin/tenants/${tenantId}`, { method: "PUT", admin: true, body: { tenant_id: tenantId, ...config } })
    if (r.status !== 200) throw new Error(`createTenant ${tenantId}: ${r.status} ${r.text}`)
  }

  const createKey = async (tenantId: string, label = "test") => {
    const r = await request(`/api/v1/admin/tenants/${tenantId}/api-keys`, { method: "POST", admin: true, body: { label } })
    if (r.status !== 200) throw new Error(`createKey ${tenantId}: ${r.status} ${r.text}`)
    const created = r.json.created as { token: string; api_key: { id: string } }
    return { token: created.token, id: created.api_key.id }
  }

  const close = async () => {
    await app.shutdown()
    rmSync(stateDir, { recursive: true, force: true })
    if (!reuseDb) await db.drop()
  }

  return { app, db, url: app.url, request, createTenant, createKey, close }
}
