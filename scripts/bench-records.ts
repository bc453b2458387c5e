import pg from "pg"
import { cpus, loadavg } from "node:os"
import { performance } from "node:perf_hooks"
import { startApp } from "../src/app.js"
import { encodeCursor } from "../src/domain/pagination.js"
import { secondaryIndexes, seedTenant } from "./bench-records-seed.js"

/**
 * `npm run bench:records`: seeds BENCH_ROWS (default 1,000,000) call logs across 20 tenants into
 * a fresh database `voice_bench_records` on DATABASE_URL's server, starts the real server on
 * it, and prints p50/p99 of each read through HTTP beside the same SQL run directly.
 * The database is dropped at the end.
 */
const BASE = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200)
const TENANTS = 20
const DB = "voice_bench_records"
const ADMIN_KEY = "bench-admin-key-0123456789"
const PAGE = 50

const url = new URL(BASE)
url.pathname = `/${DB}`
const log = (msg: string) => process.stdout.write(`${msg}\n`)

const withAdmin = async (f: (c: pg.Client) => Promise<void>) => {
  const c = new pg.Client({ connectionString: BASE })
  await c.connect()
  try {
    await f(c)
  } finally {
    await c.end()
  }
}

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

const time = async (f: () => Promise<unknown>) => {
  for (let i = 0; i < 10; i++) await f()
  const out: Array<number> = []
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now()
    await f()
    out.push(performance.now() - t0)
  }
  return { p50: percentile(out, 0.5), p99: percentile(out, 0.99) }
}

await withAdmin(async (c) => {
  await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
  await c.query(`CREATE DATABASE ${DB}`)
})

const app = await startApp({
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: url.toString(),
  ADMIN_API_KEY: ADMIN_KEY,
  LOG_LEVEL: "error",
  DB_POOL_SIZE: "10",
  RATE_LIMIT_PER_IP_PER_MINUTE: "100000000",
  RATE_LIMIT_PER_TENANT_PER_MINUTE: "100000000",
  STREAM_AUTH_SECRET: "bench"
})
const db = new pg.Pool({ connectionString: url.toString(), max: 4 })
db.on("error", () => undefined)

try {
  const tenants = Array.from({ length: TENANTS }, (_, i) => `bench-${String(i + 1).padStart(2, "0")}`)
  const tokens = new Map<string, string>()
  for (const id of tenants) {
    const put = await fetch(`${app.url}/api/v1/admin/tenants/${id}`, { method: "PUT", headers: { "x-admin-key": ADMIN_KEY, "content-type": "application/json" }, body: JSON.stringify({ tenant_id: id }) })
    if (put.status !== 200) throw new Error(`tenant ${id}: ${put.status}`)
    const key = await fetch(`${app.url}/api/v1/admin/tenants/${id}/api-keys`, { method: "POST", headers: { "x-admin-key": ADMIN_KEY, "content-type": "application/json" }, body: "{}" })
    tokens.set(id, ((await key.json()) as { created: { token: string } }).created.token)
  }

  const seedStart = performance.now()
  const client = new pg.Client({ connectionString: url.toString() })
  // The final DROP DATABASE … WITH (FORCE) ends this connection if a step threw before client.end().
  client.on("error", () => undefined)
  await client.connect()
  const indexes = await secondaryIndexes(client)
  for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`)
  for (const [i, id] of tenants.entries()) {
    await seedTenant(client, id, Math.floor(ROWS / TENANTS))
    log(`seeded ${id} (${i + 1}/${TENANTS}) at ${((performance.now() - seedStart) / 1000).toFixed(0)} s`)
  }
  await client.query("SET maintenance_work_mem = '1GB'")
  for (const ix of indexes) await client.query(ix.def)
  await client.query("VACUUM (ANALYZE) call_logs")
  const size = (await client.query<{ s: string }>("SELECT pg_size_pretty(pg_total_relation_size('call_logs')) AS s")).rows[0]!.s
  await client.end()
  log(`seed: ${ROWS} rows, ${size}, ${((performance.now() - seedStart) / 1000).toFixed(0)} s (indexes rebuilt from the migration's definitions)`)

  const tenant = tenants[6]!
  const token = tokens.get(tenant)!
  // Page 1,000 when the tenant has that many rows (the default seed gives 50,000 per tenant).
  const deepPage = Math.min(1000, Math.floor(ROWS / TENANTS / PAGE))
  const deep = PAGE * (deepPage - 1)
  const pivot = (await db.query<{ created_at: Date; id: string }>(`SELECT created_at, id FROM call_logs WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, [tenant, deep - 1])).rows[0]!
  const cursor = encodeCursor({ t: pivot.created_at.toISOString(), id: pivot.id })
  const http = (path: string) => async () => {
    const r = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`)
    await r.arrayBuffer()
  }
  const direct = (...queries: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>) => () => Promise.all(queries.map(([q, p]) => db.query(q, [...p])))

  const SUMMARY = `SELECT id, stream_sid, direction, status, outcome, from_number, to_number, started_at, ended_at, duration_seconds, escalated,
    function_call_count, transcript_length, created_at FROM call_logs`
  const LATENCY_WHERE = `FROM call_logs WHERE tenant_id = $1 AND latency_turns IS NOT NULL`
  const LAST_DAY = `AND (started_at AT TIME ZONE 'UTC')::date >= ((now() - interval '24 hours') AT TIME ZONE 'UTC')::date AND started_at >= now() - interval '24 hours'`
  const PCT = (m: string) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${m}_p50_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY ${m}_p95_ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ${m}_p99_ms)`
  const cases: ReadonlyArray<readonly [string, (() => Promise<unknown>) | null, () => Promise<unknown>]> = [
    // The fixed cost of any tenant request (bearer lookup, rate limit, tRPC, JSON) beside one SQL round trip.
    ["baseline: GET /status vs SELECT 1", http("/status"), direct(["SELECT 1", []])],
    ["first page (limit 50)", http(`/api/v1/call-logs?limit=${PAGE}`), direct([`${SUMMARY} WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [tenant, PAGE + 1]])],
    [`page ${deepPage} by cursor`, http(`/api/v1/call-logs?limit=${PAGE}&cursor=${cursor}`), direct([`${SUMMARY} WHERE tenant_id = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid) ORDER BY created_at DESC, id DESC LIMIT $4`, [tenant, pivot.created_at.toISOString(), pivot.id, PAGE + 1]])],
    [`page ${deepPage} by offset`, http(`/api/v1/call-logs?limit=${PAGE}&offset=${deep}`), direct([`${SUMMARY} WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [tenant, PAGE + 1, deep]])],
    ["stats", http("/api/v1/call-logs/stats"), direct([`SELECT sum(total_calls), sum(completed_calls), sum(escalated_calls), sum(failed_calls), sum(answered_calls),
        sum(voicemail_calls), sum(no_answer_calls), sum(busy_calls), sum(failed_outcome_calls), sum(outcome_calls),
        sum(duration_sum)::float8 / nullif(sum(duration_count), 0),
        (SELECT count(*) FROM call_logs WHERE tenant_id = $1 ${LAST_DAY})
        FROM call_stats_daily WHERE tenant_id = $1`, [tenant]])],
    ["stats by plain aggregation (SQL only)", null, direct([`SELECT count(*), count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE escalated OR status = 'escalated'),
        count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE outcome = 'answered'), count(*) FILTER (WHERE outcome = 'voicemail'),
        count(*) FILTER (WHERE outcome = 'no_answer'), count(*) FILTER (WHERE outcome = 'busy'), count(*) FILTER (WHERE outcome = 'failed'),
        count(*) FILTER (WHERE outcome IS NOT NULL), avg(duration_seconds)::float8, count(*) FILTER (WHERE started_at >= now() - interval '24 hours')
        FROM call_logs WHERE tenant_id = $1`, [tenant]])],
    ["latency window=all (50k calls)", http("/api/v1/call-logs/latency?window=all"), direct(
      [`SELECT count(*), sum(latency_turns), avg(llm_first_token_avg_ms), ${PCT("llm_first_token")}, max(llm_first_token_max_ms), avg(e2e_first_audio_avg_ms), ${PCT("e2e_first_audio")}, max(e2e_first_audio_max_ms) ${LATENCY_WHERE}`, [tenant]],
      [`SELECT ((started_at AT TIME ZONE 'UTC')::date)::timestamp AT TIME ZONE 'UTC', count(*), ${PCT("llm_first_token")}, ${PCT("e2e_first_audio")} ${LATENCY_WHERE}
        GROUP BY (started_at AT TIME ZONE 'UTC')::date ORDER BY (started_at AT TIME ZONE 'UTC')::date`, [tenant]],
      [`WITH top AS (SELECT id, e2e_first_audio_p95_ms, llm_first_token_p95_ms ${LATENCY_WHERE} ORDER BY e2e_first_audio_p95_ms DESC NULLS LAST, llm_first_token_p95_ms DESC NULLS LAST, id LIMIT 10)
        SELECT c.id, c.call_sid, c.stream_sid, c.started_at, c.duration_seconds, c.model, c.voice, c.latency_turns FROM top JOIN call_logs c ON c.id = top.id`, [tenant]]
    )],
    ["latency window=24h (default)", http("/api/v1/call-logs/latency"), direct(
      [`SELECT count(*), ${PCT("llm_first_token")}, ${PCT("e2e_first_audio")} ${LATENCY_WHERE} ${LAST_DAY}`, [tenant]],
      [`SELECT date_trunc('hour', started_at, 'UTC'), count(*), ${PCT("llm_first_token")}, ${PCT("e2e_first_audio")} ${LATENCY_WHERE} ${LAST_DAY} GROUP BY 1 ORDER BY 1`, [tenant]],
      [`WITH top AS (SELECT id, e2e_first_audio_p95_ms, llm_first_token_p95_ms ${LATENCY_WHERE} ${LAST_DAY} ORDER BY e2e_first_audio_p95_ms DESC NULLS LAST, llm_first_token_p95_ms DESC NULLS LAST, id LIMIT 10)
        SELECT c.id, c.call_sid, c.stream_sid, c.started_at, c.duration_seconds, c.model, c.voice, c.latency_turns FROM top JOIN call_logs c ON c.id = top.id`, [tenant]]
    )],
    ["search common word (refund)", http(`/api/v1/call-logs?limit=${PAGE}&transcript_search=refund`), direct([`${SUMMARY} WHERE tenant_id = $1 AND transcript_tsv @@ phraseto_tsquery('simple', $2) ORDER BY created_at DESC, id DESC LIMIT $3`, [tenant, "refund", PAGE + 1]])],
    ["search rare phrase (order 48213)", http(`/api/v1/call-logs?limit=${PAGE}&transcript_search=order%2048213`), direct([`${SUMMARY} WHERE tenant_id = $1 AND transcript_tsv @@ phraseto_tsquery('simple', $2) ORDER BY created_at DESC, id DESC LIMIT $3`, [tenant, "order 48213", PAGE + 1]])]
  ]

  log(`\ntenant ${tenant}: ${Math.floor(ROWS / TENANTS)} calls; ${ITERATIONS} sequential runs each after 10 warm-up runs; ms\n`)
  log(`${"operation".padEnd(34)} ${"HTTP p50".padStart(9)} ${"HTTP p99".padStart(9)} ${"SQL p50".padStart(9)} ${"SQL p99".padStart(9)}  HTTP/SQL p99`)
  const results = new Map<string, { h: { p50: number; p99: number }; s: { p50: number; p99: number } }>()
  const f = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(2)).padStart(9)
  for (const [name, viaHttp, viaSql] of cases) {
    const s = await time(viaSql)
    const h = viaHttp ? await time(viaHttp) : undefined
    if (h) results.set(name, { h, s })
    log(`${name.padEnd(34)} ${f(h?.p50)} ${f(h?.p99)} ${f(s.p50)} ${f(s.p99)}  ${h ? `${(h.p99 / s.p99).toFixed(2)}x` : ""}`)
  }
  const first = results.get("first page (limit 50)")!
  log(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`)
  const deepCursor = results.get(`page ${deepPage} by cursor`)!
  log(`\ncursor page ${deepPage} vs first page (HTTP p99): ${(deepCursor.h.p99 / first.h.p99).toFixed(2)}x`)
} catch (e) {
  process.exitCode = 1
  log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
} finally {
  await db.end()
  await app.shutdown()
  if (process.env.BENCH_KEEP_DB !== "true") await withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)))
}
