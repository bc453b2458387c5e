import { Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { AppConfig } from "./AppConfig.js"

/**
 * The HMAC secrets for media-stream tokens. Without STREAM_AUTH_SECRET a per-process
 * secret is generated, so tokens die with the process — fine for a laptop, warned about.
 */
export class StreamAuth extends Effect.Service<StreamAuth>()("StreamAuth", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const primaryConfigured = Option.isSome(config.streamAuthSecret)
    const previousConfigured = Option.isSome(config.streamAuthSecretPrevious)
    if (!primaryConfigured) {
      yield* Effect.logWarning("STREAM_AUTH_SECRET is not set: using a per-process secret; media stream tokens will not survive a restart")
    }
    const primary = Option.getOrElse(config.streamAuthSecret, () => Redacted.make(randomBytes(32).toString("base64url")))
    const secrets: ReadonlyArray<Redacted.Redacted> = [primary, ...Option.toArray(config.streamAuthSecretPrevious)]

    const diagnostics = {
      legacy_query_auth_enabled: false,
      stream_auth_primary_configured: primaryConfigured,
      stream_auth_previous_configured: previousConfigured,
      stream_auth_secret_count: secrets.length
    }

    const alerts = (() => {
      const list: Array<{ severity: string; code: string; message: string; action: string }> = []
      if (!primaryConfigured) {
        list.push({
          severity: "warning",
          code: "stream_auth_secret_missing",
          message: "STREAM_AUTH_SECRET is not configured; a per-process secret is in use",
          action: "Set STREAM_AUTH_SECRET to a random value shared by every instance"
        })
      }
      if (previousConfigured) {
        list.push({
          severity: "info",
          code: "stream_auth_rotation_in_progress",
          message: "STREAM_AUTH_SECRET_PREVIOUS is still accepted for media stream tokens",
          action: "Remove STREAM_AUTH_SECRET_PREVIOUS once tokens signed with it have expired (minutes after rotation)"
        })
      }
      if (config.legacyTenantBearerAuthEnabled) {
        list.push({
          severity: "info",
          code: "legacy_tenant_bearer_enabled",
          message: "Legacy raw tenant bearer tokens are accepted",
          action: "Issue generated API keys to tenants, then set LEGACY_TENANT_BEARER_AUTH_ENABLED=false"
        })
      }
      return list
    })()

    return { secrets, diagnostics, alerts } as const
  })
}) {}
