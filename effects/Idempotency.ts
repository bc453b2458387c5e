import { SqlClient } from "@effect/sql"
import { Cause, Deferred, Duration, Effect, Exit, Schedule } from "effect"
import { randomUUID } from "node:crypto"
import { canonicalJson } from "../src/domain/canonical-json.js"
import { sha256Hex } from "../src/domain/secrets.js"
import { Conflict, ValidationFailed } from "./errors.js"

const TTL = "24 hours"
const KEY = /^[\x21-\x7e]{1,255}$/
// The owner of a key holds it at most for one Twilio round trip with its retries.
const WAIT_FOR_OWNER = Duration.seconds(45)
const POLL = Schedule.exponential("20 millis", 1.5).pipe(Schedule.either(Schedule.spaced("250 millis")))

interface KeyRow {
  readonly request_hash: string
  readonly state: "pending" | "completed"
  readonly owner: string
  readonly response: unknown
}

export interface IdempotentCall<A, E> {
  readonly tenantId: string
  readonly scope: string
  readonly key: string
  /** The request as the client sent it; the same key with another request is a 409. */
  readonly request: unknown
  /** What to store for an outcome; undefined releases the key (nothing happened, a retry may proceed). Defects and interruptions should release. */
  readonly store: (exit: Exit.Exit<A, E>) => unknown
  /** Rebuilds the stored outcome for a replay. */
  readonly replay: (stored: unknown) => Effect.Effect<A, E>
}

class Waiting extends Error {}

const differentBody = () => new Conflict({ message: "Idempotency-Key was already used with a different request body" })

/**
 * `Idempotency-Key` for operations with side effects we must never repeat. The first request
 * inserts the key as pending and runs; duplicates — even racing ones, on any instance — wait for
 * it and answer its stored outcome; the same key with a different request is a 409. Keys live
 * 24 h; an expired key counts as unused. Rows are swept hourly.
 */
export class Idempotency extends Effect.Service<Idempotency>()("Idempotency", {
  accessors: true,
  scoped: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    yield* sql`DELETE FROM idempotency_keys WHERE expires_at < now()`.pipe(
      Effect.orDie,
      Effect.catchAllCause(() => Effect.void),
      Effect.repeat(Schedule.spaced("1 hour")),
      Effect.delay("1 minute"),
      Effect.forkScoped
    )

    const claim = (t: { tenantId: string; scope: string; key: string }, hash: string, owner: string) =>
      sql<{ owner: string }>`INSERT INTO idempotency_keys (tenant_id, scope, idempotency_key, request_hash, state, owner, expires_at)
        VALUES (${t.tenantId}, ${t.scope}, ${t.key}, ${hash}, 'pending', ${owner}, now() + ${TTL}::interval)
        ON CONFLICT (tenant_id, scope, idempotency_key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, state = 'pending', owner = EXCLUDED.owner, response = NULL,
              created_at = now(), completed_at = NULL, expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at <= now()
        RETURNING owner`.pipe(Effect.orDie, Effect.map((rows) => rows[0]?.owner === owner))

    const read = (t: { tenantId: string; scope: string; key: string }) =>
      sql<KeyRow>`SELECT request_hash, state, owner, response FROM idempotency_keys
        WHERE tenant_id = ${t.tenantId} AND scope = ${t.scope} AND idempotency_key = ${t.key} AND expires_at > now()`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows[0])
      )

    const finish = (t: { tenantId: string; scope: string; key: string }, owner: string, response: unknown) =>
      (response === undefined
        ? sql`DELETE FROM idempotency_keys WHERE tenant_id = ${t.tenantId} AND scope = ${t.scope} AND idempotency_key = ${t.key} AND owner = ${owner}`
        : sql`UPDATE idempotency_keys SET state = 'completed', response = ${JSON.stringify(response)}::jsonb, completed_at = now()
              WHERE tenant_id = ${t.tenantId} AND scope = ${t.scope} AND idempotency_key = ${t.key} AND owner = ${owner}`
      ).pipe(Effect.orDie, Effect.asVoid)

    // Duplicates racing in this process wait for the first one in memory instead of polling the
    // database (which also keeps 50 racing requests from flooding the embedded database).
    const inflight = new Map<string, { readonly hash: string; readonly done: Deferred.Deferred<unknown, unknown> }>()

    const run = <A, E, R>(call: IdempotentCall<A, E>, work: Effect.Effect<A, E, R>): Effect.Effect<A, E | Conflict | ValidationFailed, R> =>
      Effect.gen(function* () {
        if (!KEY.test(call.key)) {
          return yield* Effect.fail(new ValidationFailed({ message: "Idempotency-Key must be 1-255 printable ASCII characters" }))
        }
        const hash = sha256Hex(canonicalJson(call.request))
        const local = `${call.tenantId}\u0000${call.scope}\u0000${call.key}`
        const joined = inflight.get(local)
        if (joined) {
          if (joined.hash !== hash) return yield* Effect.fail(differentBody())
          const exit = yield* Effect.exit(Deferred.await(joined.done) as Effect.Effect<A, E | Conflict>)
          // The first request's client went away before it owned the key: take its place.
          if (Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)) return yield* run(call, work)
          return yield* exit
        }
        const done = yield* Deferred.make<unknown, unknown>()
        inflight.set(local, { hash, done })
        return yield* claimAndRun(call, work, hash).pipe(
          Effect.onExit((exit) => Effect.zipRight(Effect.sync(() => inflight.delete(local)), Deferred.done(done, exit)))
        )
      })

    const claimAndRun = <A, E, R>(call: IdempotentCall<A, E>, work: Effect.Effect<A, E, R>, hash: string): Effect.Effect<A, E | Conflict, R> =>
      Effect.gen(function* () {
        const owner = randomUUID()
        // Claim, or wait for whoever holds the key; a released key is claimed again.
        const outcome = yield* Effect.gen(function* () {
          if (yield* claim(call, hash, owner)) return { owned: true as const }
          const row = yield* read(call)
          if (!row) return yield* Effect.fail(new Waiting())
          if (row.request_hash !== hash) {
            return yield* Effect.fail(differentBody())
          }
          if (row.state === "pending") return yield* Effect.fail(new Waiting())
          return { owned: false as const, stored: row.response }
        }).pipe(
          Effect.retry({ schedule: POLL, while: (e) => e instanceof Waiting }),
          Effect.timeoutFail({
            duration: WAIT_FOR_OWNER,
            onTimeout: () => new Conflict({ message: "a request with this Idempotency-Key is still in progress; check call logs before retrying" })
          }),
          Effect.catchIf((e): e is Waiting => e instanceof Waiting, () => Effect.die("unreachable: waiting outlived its schedule"))
        )
        if (!outcome.owned) return yield* call.replay(outcome.stored)
        // The owner's work and its bookkeeping run to completion even if the client goes away:
        // an interrupted owner would leave the key pending and the call in an unknown state.
        return yield* Effect.uninterruptible(
          work.pipe(Effect.onExit((exit) => finish(call, owner, call.store(exit))))
        )
      })

    return { run } as const
  })
}) {}
