import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Redacted } from "effect"
import pg from "pg"
import { AppConfig } from "./AppConfig.js"
import { startEmbeddedPostgres } from "./EmbeddedPostgres.js"

// int8 (count(*), bigint ids) and numeric arrive as strings by default; every value we
// store in them fits a double, and the contract wants JSON numbers.
const INT8 = 20
const NUMERIC = 1700
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"]
}

/** `DATABASE_URL` → that server; unset → embedded Postgres under `DATA_DIR`. */
export const DatabaseLive = Layer.unwrapScoped(
  Effect.gen(function* () {
    const config = yield* AppConfig
    const common = {
      maxConnections: config.dbPoolSize,
      connectTimeout: "5 seconds",
      applicationName: "voice-api",
      types
    } as const
    if (Option.isSome(config.databaseUrl)) {
      return PgClient.layer({ ...common, url: config.databaseUrl.value })
    }
    const embedded = yield* startEmbeddedPostgres(config.dataDir, config.dbPoolSize)
    yield* Effect.logInfo(`embedded database at ${embedded.dataDir} on ${embedded.host}:${embedded.port}`)
    return PgClient.layer({
      ...common,
      // pglite-socket interleaves extended-protocol messages of concurrent connections
      // (electric-sql/pglite#1046), and PGlite runs one query at a time anyway: one
      // connection loses no throughput and cannot mix up results.
      maxConnections: 1,
      host: embedded.host,
      port: embedded.port,
      username: "postgres",
      password: Redacted.make("postgres"),
      database: "postgres"
    })
  })
)
