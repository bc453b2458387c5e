import { Config, Effect, Redacted } from "effect"
import { signStreamToken, signTenantHint, type StreamClaims, verifyStreamToken, verifyTenantHint } from "../src/domain/stream-token.js"
import { Unauthorized } from "./errors.js"
import { StreamAuth } from "./StreamAuth.js"

const nowSeconds = () => Math.floor(Date.now() / 1000)

/**
 * Media-stream tokens (HMAC with STREAM_AUTH_SECRET, the previous secret still accepted during
 * a rotation), bound to one tenant and one call and valid for minutes: long enough for Twilio to
 * open the stream after our TwiML answer, short enough that a leaked TwiML is soon worthless.
 * Also the tenant hints we put in the webhook URLs we hand to Twilio.
 */
export class StreamTokens extends Effect.Service<StreamTokens>()("StreamTokens", {
  accessors: true,
  effect: Effect.gen(function* () {
    const auth = yield* StreamAuth
    const ttlSeconds = yield* Config.integer("STREAM_TOKEN_TTL_SECONDS").pipe(Config.withDefault(300), Effect.orDie)
    const secrets = auth.secrets.map((s) => Redacted.value(s))
    const current = secrets[0]!

    const issue = (claims: { tenantId: string; callSid: string }) =>
      Effect.sync(() => signStreamToken({ tenant_id: claims.tenantId, call_sid: claims.callSid }, ttlSeconds, nowSeconds(), current))

    /** The claims of a valid token; `callSid`, when the caller knows it, must be the token's call. */
    const verify = (token: string | undefined, callSid?: string): Effect.Effect<StreamClaims, Unauthorized> =>
      Effect.suspend(() => {
        if (!token) return Effect.fail(new Unauthorized({ message: "missing stream_token" }))
        const v = verifyStreamToken(token, secrets, nowSeconds(), callSid)
        return v.ok ? Effect.succeed(v.claims) : Effect.fail(new Unauthorized({ message: `invalid stream_token (${v.reason.replace("_", " ")})` }))
      })

    const tenantHint = (tenantId: string): string => signTenantHint(tenantId, current)

    /** The tenant a hint names, or why it was refused. */
    const readTenantHint = (hint: string) => verifyTenantHint(hint, secrets)

    return { issue, verify, tenantHint, readTenantHint, ttlSeconds } as const
  }),
  dependencies: [StreamAuth.Default]
}) {}
