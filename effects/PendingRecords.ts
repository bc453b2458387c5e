import { SqlClient } from "@effect/sql"
import { Cause, Duration, Effect, Exit, Schedule } from "effect"
import { randomUUID } from "node:crypto"
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { AppConfig } from "./AppConfig.js"
import { CallLogs, type FinalizeInput } from "./CallLogs.js"
import type { VoiceSessionWrite } from "./VoiceSessionsRepo.js"
import { VoiceSessions } from "./VoiceSessions.js"

/** Everything a finished call writes: its log (+ outcome, billing), its voice session, its webhooks. */
export interface FinalRecord {
  readonly tenantId: string
  readonly callLog: FinalizeInput
  readonly voiceSession: VoiceSessionWrite
  readonly webhooks: ReadonlyArray<{ readonly event: string; readonly data: unknown }>
}

const WRITE_TIMEOUT = Duration.seconds(10)
const RETRY_EVERY = Duration.seconds(2)
const SPOOL = "pending-call-records.json"
// Records the database can never accept (a value over a Postgres limit, a constraint): kept here,
// one JSON line each, for an operator — never retried in a loop, never thrown away.
const REJECTED = "rejected-call-records.jsonl"
// SQLSTATE classes that retrying cannot fix: 22 data exception, 23 integrity, 54 program limit.
const PERMANENT_SQLSTATE = /^(22|23|54)/

const sqlStateIn = (cause: Cause.Cause<unknown>): string | undefined => {
  for (const e of [...Cause.failures(cause), ...Cause.defects(cause)]) {
    const inner: unknown = typeof e === "object" && e !== null && "cause" in e ? e.cause : undefined
    if (typeof inner === "object" && inner !== null && "code" in inner && typeof inner.code === "string") return inner.code
  }
  return undefined
}

const revive = (r: FinalRecord): FinalRecord => ({
  ...r,
  callLog: { ...r.callLog, started_at: new Date(r.callLog.started_at), ended_at: new Date(r.callLog.ended_at) },
  voiceSession: {
    ...r.voiceSession,
    ...(r.voiceSession.started_at ? { started_at: new Date(r.voiceSession.started_at) } : {}),
    ...(r.voiceSession.ended_at ? { ended_at: new Date(r.voiceSession.ended_at) } : {})
  }
})

/**
 * Writes finished calls, and never drops one: a record the database refuses (it is down) is
 * kept and retried every few seconds; records still unwritten at shutdown are spooled to
 * DATA_DIR and written at the next start.
 */
export class PendingRecords extends Effect.Service<PendingRecords>()("PendingRecords", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const config = yield* AppConfig
    const sql = yield* SqlClient.SqlClient
    const callLogs = yield* CallLogs
    const sessions = yield* VoiceSessions
    const pending: Array<FinalRecord> = []
    const spoolPath = join(config.dataDir, SPOOL)

    const writeOnce = (r: FinalRecord) =>
      Effect.gen(function* () {
        yield* callLogs.finalize(r.tenantId, r.callLog)
        yield* sessions.upsertByStream(r.tenantId, r.voiceSession)
        for (const w of r.webhooks) {
          const payload = { event: w.event, timestamp: new Date().toISOString(), tenant_id: r.tenantId, data: w.data }
          yield* sql`INSERT INTO webhook_outbox (id, tenant_id, event, payload) VALUES (${randomUUID()}, ${r.tenantId}, ${w.event}, ${JSON.stringify(payload)}::jsonb)`.pipe(Effect.orDie)
        }
      }).pipe(Effect.timeout(WRITE_TIMEOUT))

    /** true when written; false when kept for later. A record that can never be valid is logged and dropped. */
    const attempt = (r: FinalRecord) =>
      Effect.exit(writeOnce(r)).pipe(
        Effect.flatMap((exit) => {
          if (Exit.isSuccess(exit)) return Effect.succeed(true)
          const failure = Cause.failureOption(exit.cause)
          const state = sqlStateIn(exit.cause)
          const invalid = failure._tag === "Some" && failure.value._tag === "ValidationFailed"
          if (invalid || (state !== undefined && PERMANENT_SQLSTATE.test(state))) {
            return Effect.sync(() => {
              mkdirSync(config.dataDir, { recursive: true })
              appendFileSync(join(config.dataDir, REJECTED), `${JSON.stringify({ rejected_at: new Date().toISOString(), sqlstate: state ?? null, record: r })}\n`)
            }).pipe(
              Effect.zipRight(Effect.logError(`call record refused by the database; kept in ${REJECTED}, not retried`, { stream_sid: r.callLog.stream_sid, sqlstate: state ?? null })),
              Effect.as(true)
            )
          }
          return Effect.logWarning("call record not written; kept for retry", { stream_sid: r.callLog.stream_sid, cause: Cause.pretty(exit.cause).slice(0, 300) }).pipe(Effect.as(false))
        })
      )

    const submit = (r: FinalRecord) =>
      attempt(r).pipe(
        Effect.tap((ok) => Effect.sync(() => (ok ? undefined : void pending.push(r)))),
        Effect.uninterruptible
      )

    // In order, stopping at the first record the database could not take (it is down, so the
    // rest would wait out their timeouts too); a refused record is set aside, not retried.
    const flush = Effect.gen(function* () {
      while (pending.length) {
        const ok = yield* attempt(pending[0]!)
        if (!ok) return
        pending.shift()
      }
    })

    if (existsSync(spoolPath)) {
      const spooled = JSON.parse(readFileSync(spoolPath, "utf8")) as ReadonlyArray<FinalRecord>
      pending.push(...spooled.map(revive))
      renameSync(spoolPath, `${spoolPath}.${Date.now()}.loaded`)
      yield* Effect.logInfo("loaded unwritten call records from the spool", { count: spooled.length })
    }

    yield* flush.pipe(Effect.repeat(Schedule.spaced(RETRY_EVERY)), Effect.forkScoped)
    yield* Effect.addFinalizer(() =>
      flush.pipe(
        Effect.timeout(WRITE_TIMEOUT),
        Effect.ignore,
        Effect.zipRight(
          Effect.sync(() => {
            if (!pending.length) return
            mkdirSync(config.dataDir, { recursive: true })
            writeFileSync(spoolPath, JSON.stringify(pending))
          })
        )
      )
    )

    return { submit, pendingCount: () => pending.length, flush } as const
  }),
  dependencies: [CallLogs.Default, VoiceSessions.Default]
}) {}
