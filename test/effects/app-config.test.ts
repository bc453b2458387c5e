import { ConfigProvider, Effect, Either, Option } from "effect"
import { describe, expect, it } from "vitest"
import { type AppConfigShape, adminEnabled, adminLoginEnabled, loadConfigOrDescribe } from "../../effects/AppConfig.js"

const load = (env: Record<string, string>): Promise<Either.Either<AppConfigShape, string>> =>
  Effect.runPromise(Effect.withConfigProvider(loadConfigOrDescribe, ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("AppConfig", () => {
  it("an empty environment gives the documented defaults, admin disabled", async () => {
    const c = Either.getOrThrow(await load({}))
    expect(c).toMatchObject({
      port: 5050,
      host: "0.0.0.0",
      publicBaseUrl: "http://localhost:5050",
      legacyTenantBearerAuthEnabled: true,
      rateLimitPerIpPerMinute: 60,
      rateLimitPerTenantPerMinute: 1000,
      logLevel: "info",
      bodyLimitBytes: 1024 * 1024
    })
    expect(Option.isNone(c.databaseUrl)).toBe(true)
    expect(adminEnabled(c)).toBe(false)
  })

  it("admin is enabled by a key, or by a username with a password or its digest", async () => {
    expect(adminEnabled(Either.getOrThrow(await load({ ADMIN_API_KEY: "k" })))).toBe(true)
    const login = Either.getOrThrow(await load({ ADMIN_USERNAME: "u", ADMIN_PASSWORD_SHA256: "a".repeat(64) }))
    expect(adminLoginEnabled(login) && adminEnabled(login)).toBe(true)
    const userOnly = Either.getOrThrow(await load({ ADMIN_USERNAME: "u" }))
    expect(adminEnabled(userOnly)).toBe(false)
  })

  const invalid: ReadonlyArray<readonly [string, string]> = [
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PUBLIC_BASE_URL", "voice.example.com"],
    ["DATABASE_URL", "mysql://db/x"],
    ["ADMIN_API_KEY", ""],
    ["ADMIN_PASSWORD", ""],
    ["ADMIN_PASSWORD_SHA256", "not-hex"],
    ["LEGACY_TENANT_BEARER_AUTH_ENABLED", "maybe"],
    ["STREAM_AUTH_SECRET", ""],
    ["RATE_LIMIT_PER_IP_PER_MINUTE", "0"],
    ["RATE_LIMIT_PER_TENANT_PER_MINUTE", "many"],
    ["OPENAI_REALTIME_URL", "https://api.openai.com/v1/realtime"],
    ["TWILIO_API_BASE_URL", "localhost:9999"],
    ["LOG_LEVEL", "loud"],
    ["DB_POOL_SIZE", "0"],
    ["BODY_LIMIT_BYTES", "1.5"]
  ]
  for (const [name, value] of invalid) {
    it(`${name}=${JSON.stringify(value)} is refused with one line naming ${name}`, async () => {
      const r = await load({ [name]: value })
      expect(Either.isLeft(r)).toBe(true)
      const message = Either.getLeft(r).pipe(Option.getOrThrow)
      expect(message).not.toContain("\n")
      expect(message).toMatch(new RegExp(`^invalid configuration: ${name}: `))
    })
  }
})
