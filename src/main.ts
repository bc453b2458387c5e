import { startApp, StartupError } from "./app.js"
import { writeLog } from "./http/log.js"

const started = performance.now()
try {
  const app = await startApp()
  writeLog("info", "listening", {
    url: app.url,
    public_base_url: app.config.publicBaseUrl,
    database: app.config.databaseUrl._tag === "Some" ? "postgres" : `embedded (${app.config.dataDir})`,
    startup_ms: Math.round(performance.now() - started)
  })
  const stop = (signal: string) => {
    writeLog("info", "shutting down", { signal })
    app.shutdown().then(
      () => process.exit(0),
      (e: unknown) => {
        writeLog("error", "shutdown failed", { error: e instanceof Error ? e.message : String(e) })
        process.exit(1)
      }
    )
  }
  process.once("SIGTERM", () => stop("SIGTERM"))
  process.once("SIGINT", () => stop("SIGINT"))
} catch (e) {
  process.stderr.write(`${e instanceof StartupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
}
