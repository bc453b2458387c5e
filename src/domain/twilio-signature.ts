import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js"

/** Form parameters as the signature sees them: a repeated key becomes the list of its values. */
export type SignedParams = Record<string, string | Array<string>>

export const signedParamsOf = (form: URLSearchParams): SignedParams => {
  const out: SignedParams = {}
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key)
    out[key] = values.length === 1 ? values[0]! : values
  }
  return out
}

/**
 * The URL Twilio requested: our public base (what Twilio was given) plus the path and query
 * exactly as they reached us. Behind a TLS proxy the host and scheme the server sees are not
 * the ones Twilio signed, so they never come from the request.
 */
export const publicWebhookUrl = (publicBaseUrl: string, pathAndQuery: string): string =>
  publicBaseUrl.replace(/\/+$/, "") + (pathAndQuery.startsWith("/") ? pathAndQuery : `/${pathAndQuery}`)

/**
 * `X-Twilio-Signature` check: base64 HMAC-SHA1 over the URL plus every parameter (sorted
 * keys, repeated values sorted), constant-time compared. The SDK tries the URL with and
 * without an explicit default port, since either may be what Twilio signed.
 */
export const isValidTwilioSignature = (authToken: string, signature: string | undefined, url: string, params: SignedParams): boolean =>
  signature !== undefined && signature.length > 0 && validateRequest(authToken, signature, url, params)

/** The signature Twilio would send (the sandbox signs its callbacks with it). */
export const twilioSignatureOf = (authToken: string, url: string, params: SignedParams): string =>
  getExpectedTwilioSignature(authToken, url, params)
