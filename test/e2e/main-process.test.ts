import { type ChildProcess, spawn } from "node:child_process"
import { request as httpRequest } from "node:http"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { freshDatabase, type TestDatabase } from "../support/database.js"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const ADMIN = "e2e-admin-key"

interface Running {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

/** `node --import tsx src/main.ts` with exactly the given environment (plus PATH/HOME). */
const spawnMain = (env: Record<string, string>): Running => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()))
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()))
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
  return { child, stdout: () => out, stderr: () => err, exited }
}

const logLines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

const waitForListening = async (p: Running): Promise<string> => {
  for (let i = 0; i < 600; i++) {
    const line = logLines(p.stdout()).find((l) => l.message === "listening")
    if (line) return String(line.url)
    if (p.child.exitCode !== null) throw new Error(`main exited ${p.child.exitCode}: ${p.stderr()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`main did not start: ${p.stdout()} ${p.stderr()}`)
}

let db: TestDatabase | undefined
let proc: Running | undefined
afterAll(async () => {
  if (proc && proc.child.exitCode === null) proc.child.kill("SIGKILL")
  await db?.drop()
})

describe("the server process", () => {
  it("SIGTERM drains the in-flight request, logs 'shutting down' and exits 0", async () => {
    db = await freshDatabase()
    proc = spawnMain({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ADMIN_API_KEY: ADMIN, ...db.env })
    const url = await waitForListening(proc)
    expect((await fetch(`${url}/health/ready`)).status).toBe(200)

    // A long-lived upgraded socket (a live-log subscriber) must not hold the process open.
    const admin = { "x-admin-key": ADMIN, "content-type": "application/json" }
    expect((await fetch(`${url}/api/v1/admin/tenants/e2e`, { method: "PUT", headers: admin, body: "{}" })).status).toBe(200)
    const created = (await (await fetch(`${url}/api/v1/admin/tenants/e2e/api-keys`, { method: "POST", headers: admin, body: "{}" })).json()) as { created: { token: string } }
    const subscriber = new WebSocket(`${url.replace("http", "ws")}/api/v1/logs`, { headers: { authorization: `Bearer ${created.created.token}` } })
    subscriber.on("error", () => undefined)
    const subscribed = await new Promise<boolean>((r) => {
      subscriber.once("message", () => r(true))
      subscriber.once("unexpected-response", () => r(false))
    })
    const subscriberClosed = new Promise<void>((r) => subscriber.once("close", () => r()))

    let finish!: () => void
    const answered = new Promise<{ status: number; body: string }>((resolveAnswer, reject) => {
      const req = httpRequest(`${url}/api/v1/admin/tenants/validate`, { method: "POST", headers: { "content-type": "application/json", "x-admin-key": ADMIN } }, (res) => {
        let body = ""
        res.on("data", (c: Buffer) => (body += c.toString()))
        res.on("end", () => resolveAnswer({ status: res.statusCode ?? 0, body }))
      })
      req.on("error", reject)
      req.write('{"tenant_id":')
      req.flushHeaders()
      finish = () => req.end('"inflight"}')
    })
    await new Promise((r) => setTimeout(r, 200))
    proc.child.kill("SIGTERM")
    for (let i = 0; i < 50 && !logLines(proc.stdout()).some((l) => l.message === "shutting down"); i++) await new Promise((r) => setTimeout(r, 50))
    finish()

    const res = await answered
    expect(res.status, res.body).toBe(200)
    expect(await proc.exited).toBe(0)
    expect(subscribed, "/api/v1/logs subscription").toBe(true)
    await subscriberClosed
    const lines = logLines(proc.stdout())
    expect(lines.find((l) => l.message === "shutting down")).toMatchObject({ level: "info", signal: "SIGTERM" })
    expect(lines.find((l) => l.message === "request" && l.path === "/api/v1/admin/tenants/validate")).toMatchObject({ status: 200 })
    expect(proc.stderr()).toBe("")
  }, 60_000)

  it("an invalid PORT exits 1 with one stderr line naming PORT", async () => {
    const p = spawnMain({ PORT: "abc", DATA_DIR: "/nonexistent/never-created" })
    expect(await p.exited).toBe(1)
    const lines = p.stderr().trimEnd().split("\n")
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain("PORT")
    expect(p.stdout()).toBe("")
  }, 30_000)

  it("a PORT out of range (a validation, not a parse error) is named too", async () => {
    const p = spawnMain({ PORT: "70000" })
    expect(await p.exited).toBe(1)
    expect(p.stderr()).toBe("invalid configuration: PORT: must be a port number from 0 to 65535\n")
  }, 30_000)
})
