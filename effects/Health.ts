import { SqlClient } from "@effect/sql"
import { Duration, Effect, Ref, Schedule } from "effect"
import { migrationsApplied } from "./Migrations.js"

export const VERSION = "0.1.0"
const STALE_AFTER_MS = 5_000

export interface ReadinessCheck {
  readonly name: string
  readonly status: string
  readonly ready: boolean
  readonly details: Record<string, unknown>
}

/** Liveness heartbeat, readiness checks and the shutdown flag that turns readiness off first. */
export class Health extends Effect.Service<Health>()("Health", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const startedAt = Date.now()
    const lastBeat = yield* Ref.make(Date.now())
    const shuttingDown = yield* Ref.make(false)

    // A fiber that stamps the clock every second; if the event loop stalls, the stamp goes stale.
    // Suspended so each beat reads the clock (a plain `Date.now()` argument is read once, and
    // liveness then fails five seconds after start, forever).
    yield* Effect.suspend(() => Ref.set(lastBeat, Date.now())).pipe(
      Effect.repeat(Schedule.spaced(Duration.seconds(1))),
      Effect.forkScoped
    )

    const liveness = Ref.get(lastBeat).pipe(
      Effect.map((beat) => {
        const age = Date.now() - beat
        return { alive: age < STALE_AFTER_MS, heartbeat_age_ms: age, uptime_seconds: Math.floor((Date.now() - startedAt) / 1000) }
      })
    )

    const databaseCheck = Effect.gen(function* () {
      const t0 = performance.now()
      const ok = yield* sql`SELECT 1`.pipe(
        Effect.timeout("2 seconds"),
        Effect.as(true),
        Effect.catchAll(() => Effect.succeed(false))
      )
      const latency = Math.round((performance.now() - t0) * 10) / 10
      return { name: "database", ready: ok, status: ok ? "connected" : "unreachable", details: { latency_ms: latency } } satisfies ReadinessCheck
    })

    const migrationsCheck = migrationsApplied.pipe(
      Effect.map(({ latest, applied }) => ({
        name: "migrations",
        ready: applied >= latest,
        status: applied >= latest ? "applied" : "pending",
        details: { applied, latest }
      }) satisfies ReadinessCheck),
      Effect.provideService(SqlClient.SqlClient, sql)
    )

    const readiness = Effect.gen(function* () {
      const draining = yield* Ref.get(shuttingDown)
      const checks: Array<ReadinessCheck> = [
        yield* databaseCheck,
        yield* migrationsCheck,
        { name: "shutdown", ready: !draining, status: draining ? "draining" : "running", details: {} }
      ]
      const ready = checks.every((c) => c.ready)
      return {
        ready,
        status: ready ? "ready" : "not_ready",
        checks,
        version: VERSION,
        timestamp: new Date().toISOString(),
        uptime_seconds: Math.floor((Date.now() - startedAt) / 1000)
      }
    })

    const uptimeSeconds = Effect.sync(() => Math.floor((Date.now() - startedAt) / 1000))
    const beginShutdown = Ref.set(shuttingDown, true)

    return { liveness, readiness, uptimeSeconds, beginShutdown, isShuttingDown: Ref.get(shuttingDown) } as const
  })
}) {}
