import { SqlClient } from "@effect/sql"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { AppConfig } from "../../effects/AppConfig.js"
import { DatabaseLive } from "../../effects/Database.js"
import { migrate, migrateFrom, migrationsApplied, readMigrationFiles } from "../../effects/Migrations.js"
import { startTestApp } from "../support/app.js"
import { freshDatabase, type TestDatabase } from "../support/database.js"

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined)
})

/** The SQL layer alone (no services) over a fresh database. */
const sqlRuntime = async (db?: TestDatabase) => {
  const database = db ?? (await freshDatabase())
  const provider = ConfigProvider.fromMap(new Map(Object.entries({ DB_POOL_SIZE: "2", LOG_LEVEL: "error", ...database.env })))
  const runtime = ManagedRuntime.make(Layer.provideMerge(DatabaseLive, AppConfig.layer).pipe(Layer.provide(Layer.setConfigProvider(provider))))
  cleanups.push(async () => {
    await runtime.dispose()
    if (!db) await database.drop()
  })
  return runtime
}

const ids = readMigrationFiles().map((f) => f.file.replace(/\.sql$/, ""))
const postgres = process.env.DATABASE_URL !== undefined

describe("migrations", () => {
  it("apply every file once; a second run applies nothing", async () => {
    const rt = await sqlRuntime()
    const first = await rt.runPromise(migrate)
    expect(first.applied).toEqual(ids)
    expect(first.latest).toBe(readMigrationFiles().at(-1)!.id)
    expect(await rt.runPromise(migrate)).toEqual({ applied: [], latest: first.latest })
    expect(await rt.runPromise(migrationsApplied)).toEqual({ applied: first.latest, latest: first.latest })
  })

  it("a failing file is named, rolled back, and applied once fixed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "voice-migrations-"))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, "0001_broken.sql"), "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n")
    const rt = await sqlRuntime()
    const failed = await rt.runPromise(migrateFrom(dir)).then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e))
    )
    expect(failed).toMatch(/^migration 0001_broken\.sql failed: /)
    expect(failed).toContain("no_such_table")

    const tables = await rt.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half_done'`)
    )
    expect(tables[0]!.n).toBe(0)

    writeFileSync(join(dir, "0001_broken.sql"), "CREATE TABLE half_done (id int);\n")
    expect((await rt.runPromise(migrateFrom(dir))).applied).toEqual(["0001_broken"])
  })

  it("a badly named file is refused by name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "voice-migrations-"))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, "1-Bad Name.sql"), "SELECT 1;")
    expect(() => readMigrationFiles(dir)).toThrow("1-Bad Name.sql")
  })

  it("a second start on the same database applies nothing", async () => {
    const db = await freshDatabase()
    cleanups.push(() => db.drop())
    const first = await startTestApp({}, db)
    await first.close()
    const second = await startTestApp({}, db)
    cleanups.push(() => second.close())
    expect((await second.app.runtime.runPromise(migrate)).applied).toEqual([])
    expect((await second.request("/health/ready")).status).toBe(200)
  })

  // Two embedded databases cannot share one data folder, so the race needs a real server.
  it.runIf(postgres)("two starts racing on one fresh database both succeed and apply each file once", async () => {
    const db = await freshDatabase()
    cleanups.push(() => db.drop())
    const apps = await Promise.all([startTestApp({}, db), startTestApp({}, db), startTestApp({}, db)])
    for (const a of apps) cleanups.push(() => a.close())
    for (const a of apps) expect((await a.request("/health/ready")).status).toBe(200)
    const rows = await apps[0]!.app.runtime.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ migration_id: number }>`SELECT migration_id FROM schema_migrations ORDER BY migration_id`)
    )
    expect(rows.map((r) => r.migration_id)).toEqual(readMigrationFiles().map((f) => f.id))
  })
})
