import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { answerAndRun, type FlowContext, runOutbound, setStatus } from "./call-flow.js"
import type { CallerScript } from "./caller-script.js"
import { basicAuthOf, callJson, createCallProblem, eventsOf, FaultQueue, isLive, readForm, sendJson, sendTwilioError, sidOf } from "./rest.js"
import type { CallScenario, SandboxCall, SandboxFault } from "./types.js"

export interface SandboxTwilioOptions {
  readonly host?: string
  readonly port?: number
  /** Account SID → auth token. Unknown accounts authenticating with their SID are adopted. */
  readonly accounts?: Readonly<Record<string, string>>
  /** How the far end of each call behaves; default: a human answers and the default script runs. */
  readonly scenario?: (call: SandboxCall) => CallScenario
  readonly rewriteStreamUrl?: (url: string) => string
  readonly frameIntervalMs?: number
  /** false: a pure REST fake — calls are created and stay queued, nothing dials back. */
  readonly dialBack?: boolean
}

export interface RestRequestRecord {
  readonly operation: string
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string | Array<string>>>
  readonly status: number
}

export interface IncomingCallOptions {
  readonly accountSid: string
  readonly from: string
  readonly to: string
  /** Our incoming-call webhook URL. */
  readonly url: string
  readonly statusCallback?: string
  readonly script?: CallerScript
}

export interface SandboxTwilio {
  readonly url: string
  readonly calls: ReadonlyMap<string, SandboxCall>
  readonly messages: ReadonlyMap<string, Record<string, unknown>>
  readonly requests: ReadonlyArray<RestRequestRecord>
  /** REST requests of one operation that reached the sandbox (faulted ones included). */
  readonly count: (operation: string) => number
  readonly registerAccount: (accountSid: string, authToken: string) => void
  readonly setScenario: (to: string, scenario: CallScenario) => void
  readonly injectFault: (fault: SandboxFault) => void
  readonly incomingCall: (opts: IncomingCallOptions) => SandboxCall
  readonly close: () => Promise<void>
}

const CALL_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9A-Za-z]+)\/(Calls|Messages)(?:\/((?:CA|SM)[0-9A-Za-z]+))?\.json$/

const paramsOf = (form: URLSearchParams) => {
  const out: Record<string, string | Array<string>> = {}
  for (const k of new Set(form.keys())) {
    const all = form.getAll(k)
    out[k] = all.length === 1 ? all[0]! : all
  }
  return out
}

/**
 * A local Twilio: the REST resources for calls and messages, then — like the real one — it
 * dials back: signed status callbacks, the voice webhook, a Media Stream into our server
 * driven by a scripted caller, asynchronous AMD verdicts, and the final hang-up.
 */
export const startSandboxTwilio = async (opts: SandboxTwilioOptions = {}): Promise<SandboxTwilio> => {
  const tokens = new Map(Object.entries(opts.accounts ?? {}))
  const calls = new Map<string, SandboxCall>()
  const messages = new Map<string, Record<string, unknown>>()
  const requests: Array<RestRequestRecord> = []
  const scenarios = new Map<string, CallScenario>()
  const faults = new FaultQueue()
  const running = new Set<Promise<unknown>>()
  const ctx: FlowContext = {
    tokenOf: (sid) => tokens.get(sid),
    scenarioOf: (call) => scenarios.get(call.to) ?? opts.scenario?.(call) ?? { answer: "human" },
    rewriteStreamUrl: opts.rewriteStreamUrl ?? ((u) => u),
    ...(opts.frameIntervalMs ? { frameIntervalMs: opts.frameIntervalMs } : {})
  }
  const track = (p: Promise<unknown>) => {
    running.add(p)
    void p.finally(() => running.delete(p))
  }

  const newCall = (init: Omit<SandboxCall, "sid" | "status" | "createdAt" | "webhooks" | "twimlExecuted" | "sequence" | "finished" | "resolveFinished">): SandboxCall => {
    let resolveFinished = () => {}
    const call: SandboxCall = {
      ...init,
      sid: sidOf("CA"),
      status: "queued",
      createdAt: Date.now(),
      webhooks: [],
      twimlExecuted: [],
      sequence: 0,
      finished: new Promise<SandboxCall>((r) => (resolveFinished = () => r(call))),
      resolveFinished: () => resolveFinished()
    }
    calls.set(call.sid, call)
    return call
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://sandbox").pathname
    const m = CALL_PATH.exec(path)
    if (!m) return sendTwilioError(res, 404, 20404, `The requested resource ${path} was not found`)
    const [, accountSid, collection, sid] = m as unknown as [string, string, "Calls" | "Messages", string | undefined]
    const form = req.method === "POST" ? await readForm(req) : new URLSearchParams()
    const operation = `${collection === "Calls" ? "calls" : "messages"}.${req.method === "GET" ? (sid ? "fetch" : "list") : sid ? "update" : "create"}`
    const record = (status: number) => requests.push({ operation, method: req.method ?? "GET", path, params: paramsOf(form), status })

    const auth = basicAuthOf(req)
    const known = auth && (tokens.get(auth[0]) === auth[1] || (auth[0] === accountSid && !tokens.has(accountSid)))
    if (!auth || !known || (auth[0].startsWith("AC") && auth[0] !== accountSid)) {
      record(401)
      return sendTwilioError(res, 401, 20003, "Authenticate")
    }
    if (auth[0] === accountSid && !tokens.has(accountSid)) tokens.set(accountSid, auth[1])

    const fault = faults.take(operation as SandboxFault["operation"], form)
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs))
      if (fault.status !== undefined) {
        record(fault.status)
        return sendTwilioError(res, fault.status, fault.code ?? (fault.status === 429 ? 20429 : 20500), fault.message ?? `sandbox fault ${fault.status}`)
      }
      if (res.destroyed) return record(0)
    }

    if (collection === "Messages") {
      if (req.method === "POST" && !sid) {
        const msg = { sid: sidOf("SM"), account_sid: accountSid, to: form.get("To"), from: form.get("From"), body: form.get("Body") ?? "", status: "queued", direction: "outbound-api", num_segments: "1", date_created: new Date().toUTCString() }
        messages.set(msg.sid, msg)
        record(201)
        return sendJson(res, 201, msg)
      }
      const msg = sid ? messages.get(sid) : undefined
      record(msg ? 200 : 404)
      return msg ? sendJson(res, 200, msg) : sendTwilioError(res, 404, 20404, `Message ${sid} not found`)
    }

    if (req.method === "POST" && !sid) {
      const problem = createCallProblem(form)
      if (problem) {
        record(400)
        return sendTwilioError(res, 400, problem[0], problem[1])
      }
      const call = newCall({
        accountSid,
        to: form.get("To")!,
        from: form.get("From")!,
        direction: "outbound-api",
        url: form.get("Url") ?? undefined,
        twiml: form.get("Twiml") ?? undefined,
        statusCallback: form.get("StatusCallback") ?? undefined,
        statusCallbackEvents: eventsOf(form),
        machineDetection: form.get("MachineDetection") ?? undefined,
        asyncAmd: form.get("AsyncAmd") === "true",
        asyncAmdStatusCallback: form.get("AsyncAmdStatusCallback") ?? undefined
      })
      record(201)
      sendJson(res, 201, callJson(call))
      if (opts.dialBack !== false) track(runOutbound(ctx, call))
      return
    }

    const call = sid ? calls.get(sid) : undefined
    if (!call || call.accountSid !== accountSid) {
      record(404)
      return sendTwilioError(res, 404, 20404, `The requested resource ${path} was not found`)
    }
    if (req.method === "POST") {
      const status = form.get("Status")
      const twiml = form.get("Twiml")
      if (twiml && isLive(call.status)) {
        call.pendingTwiml = twiml
        call.interrupt?.()
      } else if ((status === "completed" || status === "canceled") && isLive(call.status)) {
        // Before answer Twilio cancels the call; after answer it hangs up.
        if (call.status !== "in-progress") track(setStatus(ctx, call, "canceled"))
        call.hangupRequested = true
        call.interrupt?.()
      }
    }
    record(200)
    return sendJson(res, 200, callJson(call))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendTwilioError(res, 500, 20500, e instanceof Error ? e.message : String(e))
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve()))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    calls,
    messages,
    requests,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    registerAccount: (sid, token) => void tokens.set(sid, token),
    setScenario: (to, scenario) => void scenarios.set(to, scenario),
    injectFault: (f) => faults.push(f),
    incomingCall: (o) => {
      const call = newCall({ accountSid: o.accountSid, to: o.to, from: o.from, direction: "inbound", url: o.url, statusCallback: o.statusCallback, statusCallbackEvents: [], asyncAmd: false })
      if (o.script) scenarios.set(o.to, { answer: "human", script: o.script })
      call.status = "ringing"
      track(answerAndRun(ctx, call))
      return call
    },
    close: async () => {
      for (const c of calls.values()) c.interrupt?.()
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 3000))])
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
