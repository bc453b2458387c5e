/** Which credentials talk to Twilio for one tenant, and which token signs its webhooks. */
export interface TwilioCredentials {
  readonly accountSid: string
  /** Account SID, or API key SID. */
  readonly username: string
  /** Auth token, or API key secret. */
  readonly password: string
  /** The account auth token Twilio signs webhooks with; absent with API-key-only configs. */
  readonly authToken: string | undefined
  readonly fromNumber: string | undefined
  readonly phoneNumbers: ReadonlyArray<string>
  readonly sandbox: boolean
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined)

/** The tenant config's `twilio` object (CONTRACT-NOTES decision 2) as credentials, if complete. */
export const credentialsOf = (config: Record<string, unknown>): TwilioCredentials | undefined => {
  const t = config.twilio
  if (typeof t !== "object" || t === null || Array.isArray(t)) return undefined
  const tw = t as Record<string, unknown>
  const accountSid = str(tw.account_sid)
  if (!accountSid) return undefined
  const authToken = str(tw.auth_token)
  const keySid = str(tw.api_key_sid)
  const keySecret = str(tw.api_key_secret)
  const phoneNumbers = Array.isArray(tw.phone_numbers) ? tw.phone_numbers.filter((n): n is string => typeof n === "string") : []
  const common = { accountSid, authToken, fromNumber: str(tw.from_number), phoneNumbers, sandbox: false }
  if (keySid && keySecret) return { ...common, username: keySid, password: keySecret }
  return authToken ? { ...common, username: accountSid, password: authToken } : undefined
}
