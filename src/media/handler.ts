import { Effect, Exit } from "effect"
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import { WebSocketServer, type WebSocket } from "ws"
import type { AppRuntime } from "../../effects/AppLayer.js"
import { LiveCalls } from "../../effects/LiveCalls.js"
import { StreamTokens } from "../../effects/StreamTokens.js"
import { TenantAuth } from "../../effects/TenantAuth.js"
import { TenantCache } from "../../effects/TenantCache.js"
import type { UpgradeHandler } from "../http/server.js"
import { makeCall } from "./call.js"
import { parseTwilio, stringParams, type TwilioInbound } from "./twilio-messages.js"

export interface MediaStreamLimits {
  /** Connections allowed between upgrade and `start`; beyond → 429. */
  readonly maxBootstrapping: number
  readonly bootstrapTimeoutMs: number
  readonly serverModel: string
}

const refuse = (socket: Duplex, status: number, text: string, headers = "") =>
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${headers}Connection: close\r\n\r\n${text}`)

/**
 * `/media-stream`: Twilio (or an internal client with a bearer) opens the socket; until `start`
 * the connection is bootstrapping (bounded, timed out). `start` is authenticated by the stream
 * token (query or customParameters) bound to the call, then the call's fiber takes the socket.
 */
export const mediaStreamUpgrade = (runtime: AppRuntime, limits: MediaStreamLimits): UpgradeHandler => {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const live = runtime.runSync(LiveCalls)

  // The token is bound to the call: one issued for another CallSid is refused.
  const tenantOf = async (token: string | undefined, bearer: string | undefined, callSid: string): Promise<string | null> => {
    const exit = await runtime.runPromiseExit(
      token ? Effect.map(StreamTokens.verify(token, callSid), (c) => c.tenant_id) : Effect.map(TenantAuth.authenticate(bearer), (t) => t.tenantId)
    )
    return Exit.isSuccess(exit) ? exit.value : null
  }

  const begin = async (ws: WebSocket, start: TwilioInbound, req: IncomingMessage, buffered: Array<TwilioInbound>, setHandler: (h: (m: TwilioInbound) => void) => void) => {
    const streamSid = start.start?.streamSid ?? start.streamSid
    const callSid = start.start?.callSid
    if (!streamSid || !callSid) return ws.close(1008, "start without streamSid/callSid")
    const params = stringParams(start.start?.customParameters)
    const queryToken = new URL(req.url ?? "/", "http://localhost").searchParams.get("stream_token") ?? undefined
    const tenantId = await tenantOf(queryToken ?? params.stream_token, req.headers.authorization, callSid)
    if (!tenantId) return ws.close(1008, "unauthorized")
    const exit = await runtime.runPromiseExit(
      Effect.gen(function* () {
        const tenant = yield* TenantCache.get(tenantId)
        const { call, run } = yield* makeCall({
          tenantId,
          tenantConfig: tenant.config,
          streamSid,
          callSid,
          params,
          twilio: ws,
          serverModel: limits.serverModel,
          takeOver: (handler) => {
            setHandler(handler)
            for (const m of buffered.splice(0)) handler(m)
          }
        })
        return yield* live.start(call, run)
      })
    )
    if (Exit.isFailure(exit)) return ws.close(1011, "could not start the call")
    if (!exit.value) ws.close(1008, "duplicate stream for this call")
  }

  return (req, socket, head) => {
    if (!live.tryBootstrap(limits.maxBootstrapping)) return refuse(socket, 429, "too many media streams starting", "Retry-After: 1\r\n")
    let bootstrapping = true
    const done = () => {
      if (!bootstrapping) return
      bootstrapping = false
      live.endBootstrap()
    }
    socket.once("close", done)
    wss.handleUpgrade(req, socket, head, (ws) => {
      const timer = setTimeout(() => {
        if (bootstrapping) ws.close(1008, "no start message")
      }, limits.bootstrapTimeoutMs)
      const buffered: Array<TwilioInbound> = []
      let handler: ((m: TwilioInbound) => void) | null = null
      let started = false
      ws.on("error", () => undefined)
      ws.on("close", () => {
        clearTimeout(timer)
        done()
      })
      ws.on("message", (data) => {
        const msg = parseTwilio(data)
        if (!msg) return
        if (handler) return handler(msg)
        if (started) return void buffered.push(msg)
        if (msg.event !== "start") return
        started = true
        begin(ws, msg, req, buffered, (h) => (handler = h)).finally(() => {
          clearTimeout(timer)
          done()
        })
      })
    })
  }
}
