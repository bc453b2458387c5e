import type { IncomingHttpHeaders } from "node:http"
import type { AppRuntime } from "../effects/AppLayer.js"

/** What a procedure may say about its HTTP answer beyond the body. */
export interface ResponseControl {
  status?: number
  readonly headers: Record<string, string | Array<string>>
}

/** Fields the request log line carries; auth middleware fills in the tenant. */
export interface RequestLogFields {
  tenantId?: string
  pathTemplate?: string
}

export interface RequestContext {
  readonly requestId: string
  readonly ip: string
  readonly headers: IncomingHttpHeaders
  readonly runtime: AppRuntime
  readonly signal?: AbortSignal
  readonly response: ResponseControl
  readonly log: RequestLogFields
  /** Path and query exactly as requested (Twilio signs the public URL built from it). */
  readonly url: string
  /** Every form parameter, repeated keys included, when the body was form-encoded. */
  form?: URLSearchParams
}

export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}
