/**
 * `npm run bench:media`: N concurrent fake Twilio calls against the real server (its own
 * process on core 0, fresh database `voice_bench_media`) and against a trivial pass-through
 * relay (the ceiling, also core 0), alternated, repeated; the generator and the fake model
 * run here on core 1. Prints the medians per N. Env: BENCH_N (list), BENCH_SECONDS (measured
 * window per run), BENCH_REPEATS, BENCH_TARGETS, BENCH_CPU_PROF (dir: profile the server),
 * BENCH_MAX_WAIT / BENCH_RETRIES (a run during which the target or the generator waited
 * for its core, taken by other processes, more than that % of the time is run again, at most
 * that many times), DATABASE_URL (server to create the database on). With the kernel's
 * autogroups, `nice` does not help against other sessions' load; on a busy shared machine run
 * `setsid sh -c 'echo -10 > /proc/self/autogroup; exec npm run bench:media'` (root).
 */
import { loadavg } from "node:os"
import { signStreamToken } from "../../src/domain/stream-token.js"
import { FakeModel } from "./fake-model.js"
import { type RunResult, runLoad } from "./load.js"
import { RunSamples } from "./metrics.js"
import { freePort, pinSelf, sampleProc, startPinned, type Target, withAdminDb } from "./processes.js"
import { printTable } from "./table.js"

const list = (s: string | undefined, d: string) => (s ?? d).split(",").map((x) => x.trim()).filter(Boolean)
const NS = list(process.env.BENCH_N, "50,100,150,200,250").map(Number)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const TARGETS = list(process.env.BENCH_TARGETS, "relay,server") as Array<Target["name"]>
const MAX_WAIT = Number(process.env.BENCH_MAX_WAIT ?? 15)
const RETRIES = Number(process.env.BENCH_RETRIES ?? 2)
const BASE = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const DB = "voice_bench_media"
const ADMIN_KEY = "bench-admin-key-0123456789"
const SECRET = "bench-stream-secret"
const TENANT = "bench-media"
const log = (s: string) => process.stderr.write(`${s}\n`)

const pinned = pinSelf(1)
if (!pinned) log("warning: taskset not available; processes are not pinned")
const model = new FakeModel({ responseMs: 2500, samples: new RunSamples(), callOf: () => undefined })
await model.listen()

const targets = new Map<Target["name"], Target>()
const results: Array<RunResult> = []
const dbUrl = new URL(BASE)
dbUrl.pathname = `/${DB}`

try {
  if (TARGETS.includes("server")) {
    await withAdminDb(BASE, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${DB}`)
    })
    const port = await freePort()
    const prof = [
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(process.env.BENCH_SERVER_IMPORT ? ["--import", process.env.BENCH_SERVER_IMPORT] : [])
    ]
    const server = await startPinned("server", "src/main.ts", {
      HOST: "127.0.0.1",
      DATABASE_URL: dbUrl.toString(),
      ADMIN_API_KEY: ADMIN_KEY,
      STREAM_AUTH_SECRET: SECRET,
      OPENAI_REALTIME_URL: model.url,
      OPENAI_API_KEY: "sk-bench",
      VOICE_SANDBOX: "false",
      LOG_LEVEL: "error",
      MEDIA_BOOTSTRAP_LIMIT: "1000",
      RATE_LIMIT_PER_IP_PER_MINUTE: "100000000",
      RATE_LIMIT_PER_TENANT_PER_MINUTE: "100000000"
    }, 0, port, async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, prof)
    targets.set("server", server)
    const put = await fetch(`http://127.0.0.1:${port}/api/v1/admin/tenants/${TENANT}`, {
      method: "PUT",
      headers: { "x-admin-key": ADMIN_KEY, "content-type": "application/json" },
      body: JSON.stringify({ tenant_id: TENANT, greeting: "Hello, thanks for calling the bench." })
    })
    if (put.status !== 200) throw new Error(`tenant: ${put.status} ${await put.text()}`)
  }
  if (TARGETS.includes("relay")) {
    const port = await freePort()
    targets.set("relay", await startPinned("relay", "bench/media/relay.ts", { MODEL_URL: model.url }, 0, port, async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 404))
  }

  const paramsFor = (callSid: string) => ({
    stream_token: signStreamToken({ tenant_id: TENANT, call_sid: callSid }, 3600, Math.floor(Date.now() / 1000), SECRET),
    direction: "inbound",
    from: "+15555550100",
    to: "+15555550199"
  })

  log(`bench:media N=${NS.join(",")} seconds=${SECONDS} repeats=${REPEATS} targets=${TARGETS.join(",")} pinned=${pinned}`)
  for (const n of NS)
    for (let rep = 0; rep < REPEATS; rep++) {
      // Alternate which target goes first so drift on the shared machine hits both alike.
      const order = rep % 2 === 0 ? TARGETS : [...TARGETS].reverse()
      for (const name of order) {
        const target = targets.get(name)!
        let r = await runLoad({ target, calls: n, seconds: SECONDS, model, paramsFor })
        // The machine is shared: a run that other processes competed with measures them, not us.
        for (let retry = 0; retry < RETRIES && Math.max(r.targetWaitPct, r.genWaitPct) > MAX_WAIT; retry++) {
          log(`N=${n} rep=${rep + 1} ${name}: waited for the CPU ${r.targetWaitPct.toFixed(1)}% (target) / ${r.genWaitPct.toFixed(1)}% (generator) of the time; again`)
          await new Promise((res) => setTimeout(res, 5000))
          r = await runLoad({ target, calls: n, seconds: SECONDS, model, paramsFor })
        }
        results.push(r)
        log(`N=${n} rep=${rep + 1} ${name}: m→T p99 ${r.m2tP99.toFixed(1)} ms, T→m p99 ${r.t2mP99.toFixed(1)} ms, cpu ${r.cpuPct.toFixed(0)}%, gen ${r.genCpuPct.toFixed(0)}%, cpu wait ${r.targetWaitPct.toFixed(1)}/${r.genWaitPct.toFixed(1)}%, lost ${r.lostIn}/${r.lostOut}, barge-ins ${r.bargeIns}, err p99 ${r.truncErrP99.toFixed(1)}, stale ${r.staleAfterClear}, left ${r.modelSocketsLeft}, load ${loadavg()[0]!.toFixed(1)}`)
        await new Promise((res) => setTimeout(res, 1000))
      }
    }
  const server = targets.get("server")
  if (server) log(`server RSS after all runs: ${(sampleProc(server.pid).rssBytes / 2 ** 20).toFixed(0)} MB`)
  printTable(results, NS, TARGETS)
} finally {
  for (const t of targets.values()) await t.stop()
  await model.close()
  if (TARGETS.includes("server")) await withAdminDb(BASE, (c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).then(() => undefined))
}
