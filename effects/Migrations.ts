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
const TABLE = "schema_migrations"

// The migrator creates its table before taking its lock, so two first start-ups race on
// CREATE TABLE and one dies. Create it here first, serialized by an advisory lock.
const ensureTable = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql.withTransaction(
    sql`SELECT pg_advisory_xact_lock(hashtext(${TABLE}))`.pipe(
      Effect.zipRight(sql`CREATE TABLE IF NOT EXISTS ${sql(TABLE)} (
        migration_id integer PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), name text NOT NULL)`)
    )
  )
)

/** The message of an error and of each cause beneath it (the SQL error is two levels down). */
const messages = (e: unknown): string => {
  const parts: Array<string> = []
  for (let c: unknown = e, i = 0; c instanceof Error && i < 5; c = c.cause, i++) if (!parts.includes(c.message)) parts.push(c.message)
  return parts.join(" — ")
}

/**
 * Applies pending numbered SQL files in one transaction under the migrator's table lock,
 * so concurrent start-ups apply each file once. A failure names the file and the error.
 */
export const migrateFrom = (dir?: string) => Effect.gen(function* () {
  const files = readMigrationFiles(dir)
  const latest = files.at(-1)?.id ?? 0
  const loader = Effect.succeed(
    files.map((f) => [f.id, f.name, Effect.succeed(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(f.sql)))] as const)
  )
  yield* ensureTable
  const applied = yield* runMigrations({ loader, table: TABLE }).pipe(
    // A failing file reaches us as a defect (the migrator's orDie), not as a failure.
    Effect.catchAllDefect((d) => (d instanceof Migrator.MigrationError ? Effect.fail(d) : Effect.die(d))),
    Effect.mapError((e) => {
      const file = files.find((f) => e.message.includes(`"${f.id}_${f.name}"`))
      return new MigrationFailed({ message: `migration ${file ? file.file : "(unknown file)"} failed: ${messages(e)}` })
    })
  )
  return { applied: applied.map(([id, name]) => `${String(id).padStart(4, "0")}_${name}`), latest }
})

/** The project's own migrations/ folder. */
export const migrate = migrateFrom()

/** Whether every file in migrations/ has been applied (readiness check). */
// The files shipped with this build do not change while it runs; read the folder once.
let latestShipped: number | undefined
const latestMigrationId = () => (latestShipped ??= readMigrationFiles().at(-1)?.id ?? 0)

export const migrationsApplied = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const latest = latestMigrationId()
  const rows = yield* sql<{ max: number | null }>`SELECT max(migration_id) AS max FROM schema_migrations`.pipe(
    Effect.catchAll(() => Effect.succeed([{ max: null }]))
  )
  return { latest, applied: rows[0]?.max ?? 0 }
})
