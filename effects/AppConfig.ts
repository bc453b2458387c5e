import { Config, ConfigError, Context, Effect, Either, Layer, Option, Redacted } from "effect"

export type LogLevelName = "debug" | "info" | "warn" | "error"

export interface AppConfigShape {
  readonly port: number
  readonly host: string
  readonly databaseUrl: Option.Option<Redacted.Redacted>
  readonly dataDir: string
  readonly publicBaseUrl: string
  readonly adminApiKey: Option.Option<Redacted.Redacted>
  readonly adminUsername: Option.Option<string>
  readonly adminPassword: Option.Option<Redacted.Redacted>
  readonly adminPasswordSha256: Option.Option<Redacted.Redacted>
  readonly legacyTenantBearerAuthEnabled: boolean
  readonly streamAuthSecret: Option.Option<Redacted.Redacted>
  readonly streamAuthSecretPrevious: Option.Option<Redacted.Redacted>
  readonly rateLimitPerIpPerMinute: number
  readonly rateLimitPerTenantPerMinute: number
  readonly openaiApiKey: Option.Option<Redacted.Redacted>
  readonly openaiRealtimeUrl: string
  readonly openaiRealtimeModel: string
  readonly twilioApiBaseUrl: Option.Option<string>
  readonly voiceSandbox: boolean
  readonly logLevel: LogLevelName
  readonly dbPoolSize: number
  readonly bodyLimitBytes: number
  /** Behind a load balancer: take the client address from the first X-Forwarded-For hop. */
  readonly trustProxy: boolean
  /** `/media-stream` sockets allowed between upgrade and `start`; beyond → 429. */
  readonly mediaBootstrapLimit: number
  /** A media socket that has not sent `start` by then is closed. */
  readonly mediaBootstrapTimeoutMs: number
  /** The model's hard session cap; calls move to a fresh model socket before it. */
  readonly openaiRealtimeSessionMaxSeconds: number
}

// Validation must sit inside `Config.nested`: validating after a default or a map drops the
// variable's name from the error, and start-up would print "(config): ..." instead of naming it.
const checked = <A>(name: string, config: Config.Config<A>, message: string, validation: (a: A) => boolean) =>
  Config.nested(config.pipe(Config.validate({ message, validation })), name)

const positiveInt = (name: string, fallback: number) =>
  checked(name, Config.integer(), "must be a positive integer", (n) => n > 0).pipe(Config.withDefault(fallback))

const httpUrl = (name: string) =>
  checked(name, Config.string(), "must be an absolute http(s) URL", (s) => /^https?:\/\/[^/\s]+/i.test(s) && URL.canParse(s))

const wsUrl = (name: string, fallback: string) =>
  checked(name, Config.string(), "must be a ws:// or wss:// URL", (s) => /^wss?:\/\//i.test(s) && URL.canParse(s)).pipe(
    Config.withDefault(fallback)
  )

const sha256Hex = checked("ADMIN_PASSWORD_SHA256", Config.redacted(), "must be 64 hexadecimal characters (a SHA-256 digest)", (r) =>
  /^[0-9a-f]{64}$/i.test(Redacted.value(r))
).pipe(Config.option)

const nonEmptyRedacted = (name: string) =>
  checked(name, Config.redacted(), "must not be empty", (r) => Redacted.value(r).length > 0).pipe(Config.option)

export const appConfig: Effect.Effect<AppConfigShape, ConfigError.ConfigError> = Effect.gen(function* () {
  // 0 asks the OS for a free port (tests, benchmarks).
  const port = yield* checked("PORT", Config.integer(), "must be a port number from 0 to 65535", (n) => n >= 0 && n <= 65535).pipe(
    Config.withDefault(5050)
  )
  const publicBaseUrl = yield* httpUrl("PUBLIC_BASE_URL").pipe(Config.withDefault(`http://localhost:${port}`))
  return {
    port,
    host: yield* Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
    databaseUrl: yield* checked("DATABASE_URL", Config.redacted(), "must be a postgres:// or postgresql:// URL", (r) =>
      /^postgres(ql)?:\/\//.test(Redacted.value(r))
    ).pipe(Config.option),
    dataDir: yield* Config.string("DATA_DIR").pipe(Config.withDefault("./.data")),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ""),
    adminApiKey: yield* nonEmptyRedacted("ADMIN_API_KEY"),
    adminUsername: yield* Config.option(Config.nonEmptyString("ADMIN_USERNAME")),
    adminPassword: yield* nonEmptyRedacted("ADMIN_PASSWORD"),
    adminPasswordSha256: yield* sha256Hex,
    legacyTenantBearerAuthEnabled: yield* Config.boolean("LEGACY_TENANT_BEARER_AUTH_ENABLED").pipe(Config.withDefault(true)),
    streamAuthSecret: yield* nonEmptyRedacted("STREAM_AUTH_SECRET"),
    streamAuthSecretPrevious: yield* nonEmptyRedacted("STREAM_AUTH_SECRET_PREVIOUS"),
    rateLimitPerIpPerMinute: yield* positiveInt("RATE_LIMIT_PER_IP_PER_MINUTE", 60),
    rateLimitPerTenantPerMinute: yield* positiveInt("RATE_LIMIT_PER_TENANT_PER_MINUTE", 1000),
    openaiApiKey: yield* nonEmptyRedacted("OPENAI_API_KEY"),
    openaiRealtimeUrl: yield* wsUrl("OPENAI_REALTIME_URL", "wss://api.openai.com/v1/realtime"),
    openaiRealtimeModel: yield* Config.string("OPENAI_REALTIME_MODEL").pipe(Config.withDefault("gpt-realtime")),
    twilioApiBaseUrl: yield* Config.option(httpUrl("TWILIO_API_BASE_URL")),
    voiceSandbox: yield* Config.boolean("VOICE_SANDBOX").pipe(Config.withDefault(false)),
    logLevel: yield* Config.literal("debug", "info", "warn", "error")("LOG_LEVEL").pipe(Config.withDefault("info" as const)),
    dbPoolSize: yield* positiveInt("DB_POOL_SIZE", 10),
    bodyLimitBytes: yield* positiveInt("BODY_LIMIT_BYTES", 1024 * 1024),
    trustProxy: yield* Config.boolean("TRUST_PROXY").pipe(Config.withDefault(false)),
    mediaBootstrapLimit: yield* positiveInt("MEDIA_BOOTSTRAP_LIMIT", 64),
    mediaBootstrapTimeoutMs: yield* positiveInt("MEDIA_BOOTSTRAP_TIMEOUT_MS", 10_000),
    openaiRealtimeSessionMaxSeconds: yield* positiveInt("OPENAI_REALTIME_SESSION_MAX_SECONDS", 60 * 60)
  }
})

export class AppConfig extends Context.Tag("AppConfig")<AppConfig, AppConfigShape>() {
  static readonly layer = Layer.effect(AppConfig, appConfig)
}

export const adminLoginEnabled = (c: AppConfigShape): boolean =>
  Option.isSome(c.adminUsername) && (Option.isSome(c.adminPassword) || Option.isSome(c.adminPasswordSha256))

export const adminEnabled = (c: AppConfigShape): boolean => Option.isSome(c.adminApiKey) || adminLoginEnabled(c)

/** One line per problem, each naming the variable: what start-up prints before exiting. */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const lines: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "InvalidData":
      case "MissingData":
      case "SourceUnavailable":
      case "Unsupported":
        lines.push(`${e.path.join(".") || "(config)"}: ${e.message}`)
    }
  }
  walk(error)
  return `invalid configuration: ${[...new Set(lines)].join("; ")}`
}

export const loadConfigOrDescribe = Effect.either(appConfig).pipe(
  Effect.map(Either.mapLeft(describeConfigError))
)
