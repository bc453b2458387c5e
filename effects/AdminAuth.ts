import { SqlClient } from "@effect/sql"
import { Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { constantTimeEqual, sha256Hex } from "../src/domain/secrets.js"
import { AppConfig, adminEnabled, adminLoginEnabled } from "./AppConfig.js"
import { AdminDisabled, Forbidden, RateLimited, Unauthorized } from "./errors.js"
import { LoginThrottle } from "./LoginThrottle.js"
import { TenantAuth } from "./TenantAuth.js"

export const ADMIN_SESSION_COOKIE = "stateset_admin_session"
const SESSION_TTL_SECONDS = 12 * 60 * 60

export interface AdminCredentials {
  readonly adminKey?: string
  readonly sessionToken?: string
  readonly authorization?: string
}

export type AdminPrincipal = { readonly via: "admin_key" } | { readonly via: "admin_session"; readonly username: string }

/** The admin surface: `x-admin-key` (constant-time) or the HttpOnly browser session cookie. */
export class AdminAuth extends Effect.Service<AdminAuth>()("AdminAuth", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const sql = yield* SqlClient.SqlClient
    const tenants = yield* TenantAuth
    const throttle = yield* LoginThrottle
    const secure = config.publicBaseUrl.startsWith("https://")

    const enabled = adminEnabled(config) ? Effect.void : Effect.fail(new AdminDisabled())

    const sessionUser = (token: string | undefined) =>
      token
        ? sql<{ username: string }>`SELECT username FROM admin_sessions WHERE token_hash = ${sha256Hex(token)} AND expires_at > now()`.pipe(
            Effect.orDie,
            Effect.map((rows) => rows[0]?.username)
          )
        : Effect.succeed(undefined)

    const authorize = (c: AdminCredentials) =>
      Effect.gen(function* () {
        yield* enabled
        if (c.adminKey !== undefined && Option.isSome(config.adminApiKey) && constantTimeEqual(c.adminKey, Redacted.value(config.adminApiKey.value))) {
          return { via: "admin_key" } satisfies AdminPrincipal
        }
        const username = yield* sessionUser(c.sessionToken)
        if (username) return { via: "admin_session", username } satisfies AdminPrincipal
        if (c.adminKey === undefined && c.authorization) {
          const tenant = yield* Effect.either(tenants.authenticate(c.authorization))
          if (tenant._tag === "Right") return yield* Effect.fail(new Forbidden({ message: "tenant credentials cannot call admin endpoints" }))
        }
        return yield* Effect.fail(new Unauthorized({ message: c.adminKey === undefined ? "admin credentials required" : "invalid admin key" }))
      })

    const passwordMatches = (password: string): boolean => {
      if (Option.isSome(config.adminPasswordSha256)) {
        return constantTimeEqual(sha256Hex(password), Redacted.value(config.adminPasswordSha256.value).toLowerCase())
      }
      return Option.isSome(config.adminPassword) && constantTimeEqual(password, Redacted.value(config.adminPassword.value))
    }

    const cookie = (value: string, maxAge: number) =>
      `${ADMIN_SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`

    const login = (username: string, password: string, ip: string) =>
      Effect.gen(function* () {
        yield* enabled
        if (!adminLoginEnabled(config)) return yield* Effect.fail(new AdminDisabled())
        yield* throttle.check(username, ip)
        const userOk = Option.isSome(config.adminUsername) && constantTimeEqual(username, config.adminUsername.value)
        const passOk = passwordMatches(password)
        if (!(userOk && passOk)) {
          yield* throttle.recordFailure(username, ip)
          return yield* Effect.fail(new Unauthorized({ message: "invalid username or password" }))
        }
        yield* throttle.recordSuccess(username, ip)
        const token = randomBytes(32).toString("base64url")
        yield* sql`DELETE FROM admin_sessions WHERE expires_at <= now()`.pipe(Effect.orDie)
        yield* sql`INSERT INTO admin_sessions (token_hash, username, expires_at)
                   VALUES (${sha256Hex(token)}, ${username}, now() + make_interval(secs => ${SESSION_TTL_SECONDS}))`.pipe(Effect.orDie)
        return { username, setCookie: cookie(token, SESSION_TTL_SECONDS) }
      })

    const logout = (sessionToken: string | undefined) =>
      Effect.gen(function* () {
        yield* enabled
        if (sessionToken) yield* sql`DELETE FROM admin_sessions WHERE token_hash = ${sha256Hex(sessionToken)}`.pipe(Effect.orDie)
        return { setCookie: cookie("", 0) }
      })

    const status = (c: AdminCredentials) =>
      Effect.gen(function* () {
        yield* enabled
        const username = yield* sessionUser(c.sessionToken)
        const viaKey = c.adminKey !== undefined && Option.isSome(config.adminApiKey) && constantTimeEqual(c.adminKey, Redacted.value(config.adminApiKey.value))
        return { login_enabled: adminLoginEnabled(config), authenticated: username !== undefined || viaKey, username: username ?? null }
      })

    return { authorize, login, logout, status } as const
  }),
  dependencies: [TenantAuth.Default, LoginThrottle.Default]
}) {}

export type { RateLimited }
