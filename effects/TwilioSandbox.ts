import { Config, Effect, Option, type Scope } from "effect"
import { randomBytes } from "node:crypto"
import { type SandboxTwilio, startSandboxTwilio } from "../src/sandbox/twilio/server.js"
import { AppConfig } from "./AppConfig.js"
import type { TwilioCredentials } from "./TwilioCredentials.js"

export interface TwilioEndpoint {
  /** REST base URL replacing https://api.twilio.com; undefined = the real Twilio. */
  readonly baseUrl: string | undefined
  /** The sandbox account, used by tenants without Twilio configuration (sandbox mode only). */
  readonly credentials: TwilioCredentials | undefined
  /** The in-process sandbox, when this process started one. */
  readonly server: SandboxTwilio | undefined
}

// Twilio's own magic test number: valid E.164, never rings a real phone.
const SANDBOX_FROM = "+15005550006"

/**
 * Where Twilio's REST API is for this process. `TWILIO_API_BASE_URL` wins; otherwise with
 * `VOICE_SANDBOX=true` a sandbox Twilio starts in-process on a loopback port (closed with the
 * app) and tenants without Twilio configuration use its account, so calls work with no
 * credentials. The sandbox dials back into our public URLs, like Twilio.
 */
export class TwilioSandbox extends Effect.Service<TwilioSandbox>()("TwilioSandbox", {
  scoped: Effect.gen(function* (): Effect.fn.Return<TwilioEndpoint, never, AppConfig | Scope.Scope> {
    const config = yield* AppConfig
    const override = Option.getOrUndefined(config.twilioApiBaseUrl)
    if (!config.voiceSandbox) return { baseUrl: override, credentials: undefined, server: undefined }

    const accountSid = yield* Config.string("TWILIO_SANDBOX_ACCOUNT_SID").pipe(Config.withDefault(`AC${"5a".repeat(16)}`), Effect.orDie)
    const authToken = randomBytes(16).toString("hex")
    const credentials: TwilioCredentials = { accountSid, username: accountSid, password: authToken, authToken, fromNumber: SANDBOX_FROM, phoneNumbers: [SANDBOX_FROM], sandbox: true }
    // An external sandbox adopts an unknown account on first use, so these credentials work there too.
    if (override) return { baseUrl: override, credentials, server: undefined }

    const server: SandboxTwilio = yield* Effect.acquireRelease(
      Effect.promise(() => startSandboxTwilio({ accounts: { [accountSid]: authToken } })),
      (s) => Effect.promise(() => s.close())
    )
    yield* Effect.logInfo(`VOICE_SANDBOX: sandbox Twilio listening at ${server.url} (account ${accountSid})`)
    return { baseUrl: server.url, credentials, server }
  })
}) {}
