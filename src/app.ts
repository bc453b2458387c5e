import { Cause, ConfigProvider, Effect, Exit, Redacted, Either, Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import type { AddressInfo } from "node:net"
import type { IncomingMessage, Server } from "node:http"
import type { Duplex } from "node:stream"
import { type AppConfigShape, loadConfigOrDescribe } from "../effects/AppConfig.js"
import { type AppRuntime, makeAppLayer } from "../effects/AppLayer.js"
import { Health } from "../effects/Health.js"
import { migrate } from "../effects/Migrations.js"
import { appRouter } from "../routers/index.js"
import { jsonLineLogger, setLogLevel, writeLog } from "./http/log.js"
import { makeHttpServer } from "./http/server.js"
import { LiveCalls } from "../effects/LiveCalls.js"
import { mediaStreamUpgrade } from "./media/handler.js"
import { logsUpgrade } from "./media/logs-socket.js"
import { startSandboxModel } from "./sandbox/model/server.js"

export class StartupError extends Error {}

const mapOf = (env: Record<string, string | undefined>) =>
  new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))

const startSandboxModelIfWanted = (env: Record<string, string | undefined>) =>
  env.VOICE_SANDBOX === "true" && !env.OPENAI_REALTIME_URL ? startSandboxModel() : Promise.resolve(undefined)

export interface RunningApp {
  readonly url: string
  readonly port: number
  readonly config: AppConfigShape
  readonly runtime: AppRuntime
  readonly server: Server
  /** Readiness off, in-flight requests finish, then the pool (and embedded database) close. */
  readonly shutdown: () => Promise<void>
}

const effectLevel = { debug: LogLevel.Debug, info: LogLevel.Info, warn: LogLevel.Warning, error: LogLevel.Error } as const

/** The database layer reports only "Failed to connect"; say where and why, without credentials. */
const startupFailure = (e: unknown, config: AppConfigShape): string => {
  const message = e instanceof Error ? e.message : String(e)
  const root = e instanceof Error && e.cause instanceof Error ? e.cause : undefined
  if (!/connect/i.test(message)) return message
  const where = config.databaseUrl._tag === "Some" ? new URL(Redacted.value(config.databaseUrl.value)).host : `embedded database under ${config.dataDir}`
  return `cannot reach the database at ${where}: ${root?.message ?? message}`
}

/** Builds and starts the whole server. `env` replaces process.env (tests pass their own). */
export const startApp = async (env?: Record<string, string | undefined>): Promise<RunningApp> => {
  let provider = env ? ConfigProvider.fromMap(mapOf(env)) : ConfigProvider.fromEnv()
  // Sandbox mode without a model URL: a local scripted realtime model stands in for OpenAI.
  const sandboxModel = await startSandboxModelIfWanted(env ?? process.env)
  if (sandboxModel) provider = ConfigProvider.fromMap(new Map([...mapOf(env ?? process.env), ["OPENAI_REALTIME_URL", sandboxModel.url]]))
  const loaded = await Effect.runPromise(Effect.withConfigProvider(loadConfigOrDescribe, provider))
  if (Either.isLeft(loaded)) throw new StartupError(loaded.left)
  const config = loaded.right
  setLogLevel(config.logLevel)

  const layer = makeAppLayer().pipe(
    Layer.provide(Layer.setConfigProvider(provider)),
    Layer.provide(Logger.replace(Logger.defaultLogger, jsonLineLogger)),
    Layer.provide(Logger.minimumLogLevel(effectLevel[config.logLevel]))
  )
  const runtime: AppRuntime = ManagedRuntime.make(layer)
  const migrated = await runtime.runPromiseExit(migrate)
  if (Exit.isFailure(migrated)) {
    await runtime.dispose().catch(() => undefined)
    throw new StartupError(startupFailure(Cause.squash(migrated.cause), config))
  }
  if (migrated.value.applied.length) writeLog("info", "migrations applied", { applied: migrated.value.applied })

  const upgrades = new Map([
    ["/media-stream", mediaStreamUpgrade(runtime, { maxBootstrapping: config.mediaBootstrapLimit, bootstrapTimeoutMs: config.mediaBootstrapTimeoutMs, serverModel: config.openaiRealtimeModel })],
    ["/api/v1/logs", logsUpgrade(runtime)]
  ])
  const server = makeHttpServer({ router: appRouter, runtime, config, upgrades })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(config.port, config.host, () => resolve())
  })
  // server.close() waits for upgraded sockets too, which are no longer the HTTP server's to
  // close: a log subscriber left open would hold shutdown (and SIGTERM) forever.
  const upgraded = new Set<Duplex>()
  server.on("upgrade", (_req: IncomingMessage, socket: Duplex) => {
    upgraded.add(socket)
    socket.once("close", () => upgraded.delete(socket))
  })
  const port = (server.address() as AddressInfo).port
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host

  let stopping: Promise<void> | undefined
  const shutdown = () =>
    (stopping ??= (async () => {
      await runtime.runPromise(Health.beginShutdown)
      // Live calls hold their sockets open: end them first so each writes its records.
      await runtime.runPromise(LiveCalls.drain)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of upgraded) socket.destroy()
      // A keep-alive socket turns idle when its in-flight response is sent; close it then
      // rather than waiting out keepAliveTimeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      server.closeIdleConnections()
      await closed.finally(() => clearInterval(sweep))
      await runtime.dispose()
      await sandboxModel?.close()
    })())

  return { url: `http://${host}:${port}`, port, config, runtime, server, shutdown }
}
