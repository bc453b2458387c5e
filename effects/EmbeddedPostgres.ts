import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"

export interface EmbeddedServer {
  readonly host: string
  readonly port: number
  readonly dataDir: string
}

/**
 * A file-backed PGlite served on a loopback TCP port, so the embedded database is
 * reached through the same `pg` driver and SQL as a real server.
 * `maxConnections` must exceed the pool size or pglite-socket drops the extra socket.
 */
export const startEmbeddedPostgres = (dataDir: string, poolSize: number) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async (): Promise<{ server: PGLiteSocketServer; db: PGlite; info: EmbeddedServer }> => {
        const dir = resolve(dataDir, "pg")
        mkdirSync(dir, { recursive: true })
        const db = await PGlite.create({ dataDir: dir })
        const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: poolSize + 4 })
        await server.start()
        const port = Number(server.getServerConn().split(":").pop())
        return { server, db, info: { host: "127.0.0.1", port, dataDir: join(dir) } }
      },
      catch: (cause) => new Error(`embedded database failed to start under ${dataDir}: ${String(cause)}`)
    }),
    ({ server, db }) =>
      Effect.promise(async () => {
        await server.stop().catch(() => undefined)
        await db.close().catch(() => undefined)
      })
  ).pipe(Effect.map((s) => s.info))
