import { Migrator, SqlClient } from "@effect/sql"
import { Data, Effect } from "effect"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export class MigrationFailed extends Data.TaggedError("MigrationFailed")<{ readonly message: string }> {}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** Walks up from this module so both `tsx` (source) and `node dist/` (build) find the folder. */
export const migrationsDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "migrations")
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error("migrations folder not found")
}

export interface MigrationFile {
  readonly id: number
  readonly name: string
  readonly file: string
  readonly sql: string
}

export const readMigrationFiles = (dir = migrationsDir()): ReadonlyArray<MigrationFile> =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((file) => {
      const m = FILE.exec(file)
      if (!m) throw new Error(`migration file name must look like 0001_name.sql: ${file}`)
      return { id: Number(m[1]), name: m[2]!, file, sql: readFileSync(join(dir, file), "utf8") }
    })

const runMigrations = Migrator.make({})

/**
 * Applies pending numbered SQL files in one transaction under the migrator's table lock,
 * so concurrent start-ups apply each file once. A failure names the file and the error.
 */
export const migrate = Effect.gen(function* () {
  const files = readMigrationFiles()
  const latest = files.at(-1)?.id ?? 0
  const loader = Effect.succeed(
    files.map((f) => [f.id, f.name, Effect.succeed(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(f.sql)))] as const)
  )
  const applied = yield* runMigrations({ loader, table: "schema_migrations" }).pipe(
    Effect.mapError((e) => {
      const cause = "cause" in e && e.cause instanceof Error ? e.cause.message : "cause" in e ? String(e.cause ?? "") : ""
      const file = files.find((f) => e.message.includes(`${f.id}_${f.name}`) || e.message.includes(f.name))
      return new MigrationFailed({
        message: `migration ${file ? file.file : "(unknown file)"} failed: ${e.message}${cause ? ` — ${cause}` : ""}`
      })
    })
  )
  return { applied: applied.map(([id, name]) => `${String(id).padStart(4, "0")}_${name}`), latest }
})

/** Whether every file in migrations/ has been applied (readiness check). */
export const migrationsApplied = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const latest = readMigrationFiles().at(-1)?.id ?? 0
  const rows = yield* sql<{ max: number | null }>`SELECT max(migration_id) AS max FROM schema_migrations`.pipe(
    Effect.catchAll(() => Effect.succeed([{ max: null }]))
  )
  return { latest, applied: rows[0]?.max ?? 0 }
})
