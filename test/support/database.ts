import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"

export interface TestDatabase {
  /** Environment for startApp: DATABASE_URL for a real server, DATA_DIR for the embedded one. */
  readonly env: Record<string, string>
  readonly kind: "postgres" | "embedded"
  readonly drop: () => Promise<void>
}

/**
 * One fresh database per test file: a new database on the server named by DATABASE_URL,
 * or, without it, a new embedded Postgres in a temporary folder.
 */
export const freshDatabase = async (): Promise<TestDatabase> => {
  const base = process.env.DATABASE_URL
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), "voice-api-test-"))
    return { kind: "embedded", env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `voice_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    kind: "postgres",
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    }
  }
}
