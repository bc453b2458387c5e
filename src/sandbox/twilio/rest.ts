import { randomBytes } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import { isE164 } from "../../domain/e164.js"
import type { SandboxCall, SandboxFault, TwilioCallStatus } from "./types.js"

/** Pieces of Twilio's REST dialect: resource JSON, error JSON, auth, form bodies. */

export const sidOf = (prefix: string): string => `${prefix}${randomBytes(16).toString("hex")}`

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.statusCode = status
  res.setHeader("content-type", "application/json; charset=utf-8")
  res.end(JSON.stringify(body))
}

export const sendTwilioError = (res: ServerResponse, status: number, code: number, message: string): void =>
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status })

export const readForm = (req: IncomingMessage): Promise<URLSearchParams> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))))
    req.on("error", reject)
  })

/** `Authorization: Basic` → [username, password]. */
export const basicAuthOf = (req: IncomingMessage): [string, string] | undefined => {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "")
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

const rfc2822 = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toUTCString())

export const callJson = (c: SandboxCall) => ({
  sid: c.sid,
  account_sid: c.accountSid,
  to: c.to,
  to_formatted: c.to,
  from: c.from,
  from_formatted: c.from,
  status: c.status,
  direction: c.direction,
  answered_by: c.answeredBy ?? null,
  api_version: "2010-04-01",
  date_created: rfc2822(c.createdAt),
  date_updated: rfc2822(c.endedAt ?? c.answeredAt ?? c.createdAt),
  start_time: rfc2822(c.answeredAt),
  end_time: rfc2822(c.endedAt),
  duration: c.answeredAt && c.endedAt ? String(Math.ceil((c.endedAt - c.answeredAt) / 1000)) : null,
  parent_call_sid: null,
  price: null,
  price_unit: "USD",
  queue_time: "0",
  uri: `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}.json`,
  subresource_uris: {}
})

/** Addresses Twilio accepts for a call leg: E.164, or client:/sip: identities. */
export const isDialable = (s: string): boolean => isE164(s) || /^(client|sip):\S+$/i.test(s)

/** Twilio's validation of a create-call form: the first problem as [code, message]. */
export const createCallProblem = (form: URLSearchParams): [number, string] | undefined => {
  const to = form.get("To") ?? ""
  const from = form.get("From") ?? ""
  if (!isDialable(to)) return [21211, `Invalid 'To' Phone Number: ${to}`]
  if (!isDialable(from)) return [21212, `Invalid 'From' Phone Number: ${from}`]
  if (!form.get("Url") && !form.get("Twiml") && !form.get("ApplicationSid")) return [21205, "Url, Twiml or ApplicationSid is required"]
  return undefined
}

/** Repeated `StatusCallbackEvent` keys, or one space-separated value. */
export const eventsOf = (form: URLSearchParams): Array<string> =>
  form.getAll("StatusCallbackEvent").flatMap((v) => v.split(/[\s,]+/)).filter(Boolean).map((v) => v.toLowerCase())

/** Programmed faults, consumed first-match-first. */
export class FaultQueue {
  private readonly queue: Array<SandboxFault> = []
  push(f: SandboxFault): void {
    this.queue.push(f)
  }
  take(operation: SandboxFault["operation"], form: URLSearchParams): SandboxFault | undefined {
    const i = this.queue.findIndex((f) => (f.operation === operation || f.operation === "*") && (f.to === undefined || f.to === form.get("To")))
    return i < 0 ? undefined : this.queue.splice(i, 1)[0]
  }
  clear(): void {
    this.queue.length = 0
  }
}

export const isLive = (s: TwilioCallStatus) => s === "queued" || s === "ringing" || s === "in-progress"
