import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import WebSocket from "ws"
import { LiveCalls } from "../../effects/LiveCalls.js"
import { startSandboxModel, type SandboxModel } from "../../src/sandbox/model/server.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { dial, finalLog, waitFor } from "./support.js"

const TENANT = "boot-acme"
let model: SandboxModel
let t: TestApp
const mediaUrl = () => `${t.url.replace(/^http/, "ws")}/media-stream`

beforeAll(async () => {
  model = await startSandboxModel({ replies: [{ text: "Okay.", audioMs: 400 }], deltaMs: 100 })
  t = await startTestApp({ OPENAI_REALTIME_URL: model.url, MEDIA_BOOTSTRAP_LIMIT: "2", MEDIA_BOOTSTRAP_TIMEOUT_MS: "1500" })
  await t.createTenant(TENANT, { greeting: "Hi." })
})

afterAll(async () => {
  await t?.close()
  await model?.close()
})

const bootstrapping = () => t.app.runtime.runSync(Effect.map(LiveCalls, (l) => l.bootstrapping()))

/** Opens a socket: "open", or the HTTP status of a refused upgrade with its Retry-After. */
const connect = (url: string) =>
  new Promise<{ ws: WebSocket; status: "open" } | { status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once("open", () => resolve({ ws, status: "open" }))
    ws.once("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] })
      res.resume()
    })
    ws.once("error", reject)
  })

const closed = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((r) => ws.once("close", (code, reason) => r({ code, reason: reason.toString() })))

describe("/media-stream bootstrap phase (MEDIA_BOOTSTRAP_LIMIT=2, MEDIA_BOOTSTRAP_TIMEOUT_MS=1500)", () => {
  test("more sockets waiting for `start` than allowed: the next upgrade is refused with 429 and Retry-After; a freed slot is usable again", async () => {
    const a = await connect(mediaUrl())
    const b = await connect(mediaUrl())
    expect(a.status).toBe("open")
    expect(b.status).toBe("open")
    const refused = await connect(mediaUrl())
    expect(refused).toMatchObject({ status: 429, retryAfter: "1" })
    if (a.status !== "open" || b.status !== "open") return
    const aClosed = closed(a.ws)
    a.ws.close()
    await aClosed
    await waitFor(() => bootstrapping() === 1, 5000, "slot freed")
    const c = await connect(mediaUrl())
    expect(c.status).toBe("open")
    for (const s of [b, c]) if (s.status === "open") s.ws.close()
    await waitFor(() => bootstrapping() === 0, 5000, "all slots freed")
  })

  test("a socket that never sends `start` is closed after the bootstrap timeout and frees its slot", async () => {
    const s = await connect(mediaUrl())
    if (s.status !== "open") throw new Error(`upgrade refused: ${s.status}`)
    const done = closed(s.ws)
    s.ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }))
    expect(await done).toEqual({ code: 1008, reason: "no start message" })
    await waitFor(() => bootstrapping() === 0, 5000, "slot freed")
  })

  test("a call that sent `start` outlives the bootstrap timeout", async () => {
    const { callSid, session } = await dial(t, TENANT, [{ kind: "silence", ms: 2500 }, { kind: "hangup" }])
    const report = await session.done
    expect(report.endedBy).toBe("caller")
    expect((await finalLog(t, TENANT, callSid)).status).toBe("completed")
    expect(bootstrapping()).toBe(0)
  })
})
