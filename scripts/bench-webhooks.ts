import { fork } from "node:child_process"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { startApp } from "../src/app.js"
import { twilioSignatureOf } from "../src/domain/twilio-signature.js"
import { freshDatabase } from "../test/support/database.js"
import type { LoadJob, LoadResult } from "./bench-load.js"

/**
 * `npm run bench:webhooks`: signed `POST /api/v1/incoming-call` requests per second with p50/p99
 * latency, beside a bare Node http server answering a fixed TwiML string (the ceiling). Every
 * request is a new call (its own CallSid): tenant resolution, signature check, agent
 * resolution, the call record and a stream token — the whole webhook, on the configured
 * database (DATABASE_URL, else embedded).
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000
const WARMUP_MS = 2000
const PUBLIC = "https://voice.bench.test"
const TOKEN = "bench-auth-token-0123456789abcdef"
const ACCOUNT = `AC${"b".repeat(32)}`
const NUMBER = "+15005550006"
const TWIML = `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://voice.bench.test/media-stream"><Parameter name="stream_token" value="x"/></Stream></Connect></Response>`

const pct = (sorted: Array<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

/** Runs the load and also measures this process's CPU time, which contention on a shared machine does not inflate. */
const load = async (job: LoadJob): Promise<LoadResult & { cpuMs: number }> => {
  const cpu0 = process.cpuUsage()
  const result = await loadOnly(job)
  const cpu = process.cpuUsage(cpu0)
  // The measured window is durationMs of warmup + durationMs; scale CPU to the measured part.
  const cpuMs = ((cpu.user + cpu.system) / 1000) * (job.durationMs / (job.durationMs + job.warmupMs))
  return { ...result, cpuMs }
}

const loadOnly = (job: LoadJob): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./bench-load.ts", import.meta.url)), { execArgv: ["--import", "tsx"] })
    child.once("message", (m) => resolve(m as LoadResult))
    child.once("error", reject)
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))))
    child.send(job)
  })

const summary = (name: string, r: LoadResult & { cpuMs: number }) => {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b)
  return {
    name,
    rps: Math.round(r.requests / r.seconds),
    p50_ms: +pct(sorted, 50).toFixed(2),
    p99_ms: +pct(sorted, 99).toFixed(2),
    server_cpu_us_per_req: Math.round((r.cpuMs * 1000) / Math.max(1, r.requests)),
    requests: r.requests,
    errors: r.errors,
    statuses: r.statuses
  }
}

const CALL = { AccountSid: ACCOUNT, From: "+14155550100", To: NUMBER, CallStatus: "ringing", Direction: "inbound", ApiVersion: "2010-04-01" }

const main = async () => {
  const db = await freshDatabase()
  const app = await startApp({ PORT: "0", HOST: "127.0.0.1", PUBLIC_BASE_URL: PUBLIC, ADMIN_API_KEY: "bench-admin", LOG_LEVEL: "error", STREAM_AUTH_SECRET: "bench-secret", RATE_LIMIT_PER_IP_PER_MINUTE: "100000000", ...db.env })
  try {
    const put = await fetch(`${app.url}/api/v1/admin/tenants/bench`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-admin-key": "bench-admin" },
      body: JSON.stringify({ tenant_id: "bench", twilio: { account_sid: ACCOUNT, auth_token: TOKEN, from_number: NUMBER, phone_numbers: [NUMBER] } })
    })
    if (!put.ok) throw new Error(`tenant setup failed: ${put.status} ${await put.text()}`)
    const params = { ...CALL, CallSid: `CA${"0".repeat(32)}` }
    const probe = await fetch(`${app.url}/api/v1/incoming-call`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignatureOf(TOKEN, `${PUBLIC}/api/v1/incoming-call`, params) },
      body: new URLSearchParams(params).toString()
    })
    if (probe.status !== 200) throw new Error(`incoming-call probe failed: ${probe.status} ${await probe.text()}`)

    const incoming = { kind: "incoming_call" as const, publicBase: PUBLIC, authToken: TOKEN, params: CALL }
    const ours = summary("incoming-call (signed, new call each)", await load({ url: app.url, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS, requests: incoming }))

    const bare = createServer((_req, res) => {
      res.setHeader("content-type", "text/xml")
      res.end(TWIML)
    })
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()))
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`
    // BENCH_ONLY_OURS=1 (profiling): skip the ceiling run.
    const ceiling = process.env.BENCH_ONLY_OURS ? ours : summary("bare node http, fixed TwiML", await load({ url: bareUrl, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS, requests: { kind: "fixed", path: "/" } }))
    bare.close()

    console.table([ours, ceiling].map(({ statuses, ...rest }) => ({ ...rest, statuses: JSON.stringify(statuses) })))
    console.log(`database: ${db.kind}; concurrency ${CONCURRENCY}; ${DURATION_MS / 1000}s measured after ${WARMUP_MS / 1000}s warm-up`)
    console.log(`throughput vs ceiling: ${((ours.rps / ceiling.rps) * 100).toFixed(1)}%`)
  } finally {
    await app.shutdown()
    await db.drop()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
