import { createServer } from "node:net"
import { type SignedParams, twilioSignatureOf } from "../../src/domain/twilio-signature.js"
import { type SandboxTwilioOptions, startSandboxTwilio, type SandboxTwilio } from "../../src/sandbox/twilio/server.js"
import type { TestApp } from "./app.js"

/** Twilio at the network edge: the sandbox server, as a pure REST fake unless asked to dial back. */
export const startFakeTwilio = (opts: SandboxTwilioOptions = {}): Promise<SandboxTwilio> => startSandboxTwilio({ dialBack: false, ...opts })

export const ACCOUNT_SID = `AC${"1".repeat(32)}`
export const AUTH_TOKEN = "tenant-auth-token-0123456789abcdef"

/** A tenant config with Twilio credentials and numbers. */
export const twilioConfig = (extra: Record<string, unknown> = {}, accountSid = ACCOUNT_SID, authToken = AUTH_TOKEN) => ({
  twilio: { account_sid: accountSid, auth_token: authToken, from_number: "+15005550006", phone_numbers: ["+15005550006"], ...extra }
})

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const address = s.address()
      const port = typeof address === "object" && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })

export interface TwilioPost {
  /** Path and query on our server, e.g. `/api/v1/incoming-call?th=…`. */
  readonly path: string
  readonly params: SignedParams
  /** The auth token to sign with; undefined sends no signature. */
  readonly token?: string | undefined
  /** The URL to sign (defaults to publicBase + path); lets a test sign another form of it. */
  readonly signedUrl?: string
  /** Parameters to sign when they differ from what is sent (tampering). */
  readonly signedParams?: SignedParams
}

const formBody = (params: SignedParams): string => {
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value)
  return form.toString()
}

/** Posts a webhook the way Twilio would, signed for `publicBase`. */
export const postTwilio = (t: TestApp, publicBase: string, p: TwilioPost) => {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" }
  if (p.token !== undefined) headers["x-twilio-signature"] = twilioSignatureOf(p.token, p.signedUrl ?? `${publicBase}${p.path}`, p.signedParams ?? p.params)
  return t.request(p.path, { method: "POST", rawBody: formBody(p.params), headers })
}

/** Polls until `check` returns a value (or fails after `ms`); callbacks arrive asynchronously. */
export const eventually = async <A>(check: () => Promise<A | undefined> | A | undefined, ms = 10_000, what = "condition"): Promise<A> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
