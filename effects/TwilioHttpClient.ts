import twilio from "twilio"
import type RequestClient from "twilio/lib/base/RequestClient.js"

type RequestOptions<TData> = RequestClient.RequestOptions<TData>

/**
 * The SDK's own request client with every `https://<product>.twilio.com` URL moved onto
 * `baseUrl` (a local fake, the sandbox, a recording proxy). `region`/`edge` cannot do this:
 * they only rewrite *.twilio.com host names. Path and query are kept, so the fake sees
 * exactly the REST dialect Twilio would.
 */
export class RebasedRequestClient extends twilio.RequestClient {
  private readonly base: URL

  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0] = {}) {
    super(opts)
    this.base = new URL(baseUrl)
  }

  override request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rebase(opts.uri, this.base) })
  }
}

export const rebase = (uri: string, base: URL): string => {
  const original = new URL(uri)
  if (!/(^|\.)twilio\.com$/i.test(original.hostname)) return uri
  const prefix = base.pathname.replace(/\/+$/, "")
  return `${base.origin}${prefix}${original.pathname}${original.search}`
}

/** The SDK's plain client, used when no base URL override is configured. */
export const makeHttpClient = (baseUrl: string | undefined, timeoutMs: number): twilio.RequestClient =>
  baseUrl ? new RebasedRequestClient(baseUrl, { timeout: timeoutMs, keepAlive: true }) : new twilio.RequestClient({ timeout: timeoutMs, keepAlive: true })
