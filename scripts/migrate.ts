import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { AppConfig, loadConfigOrDescribe } from "../effects/AppConfig.js"
import { DatabaseLive } from "../effects/Database.js"
import { migrate } from "../effects/Migrations.js"

/** `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit. */
const loaded = await Effect.runPromise(loadConfigOrDescribe)
if (Either.isLeft(loaded)) {
  process.stderr.write(`${loaded.left}\n`)
  process.exit(1)
}
const runtime = ManagedRuntime.make(Layer.provide(DatabaseLive, AppConfig.layer))
try {
  const result = await runtime.runPromise(migrate)
  process.stdout.write(result.applied.length ? `applied: ${result.applied.join(", ")}\n` : `up to date (latest ${result.latest})\n`)
  await runtime.dispose()
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
  await runtime.dispose().catch(() => undefined)
  process.exit(1)
}
