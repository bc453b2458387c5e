import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { WebSocketServer } from "ws"
import { type Recorded, SandboxModelConnection } from "./connection.js"
import { defaultScript, type ModelScript } from "./script.js"

export interface SandboxModel {
  /** ws:// URL to use as OPENAI_REALTIME_URL. */
  readonly url: string
  /** Every client event except audio appends, in arrival order. */
  readonly received: ReadonlyArray<Recorded>
  readonly connectionCount: () => number
  readonly openConnections: () => number
  /** Authorization headers seen on handshakes. */
  readonly authorizations: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/**
 * A local realtime model speaking the GA protocol over WebSocket: greets when asked, answers
 * each caller turn (detected from audio energy) with μ-law deltas and transcript deltas, calls
 * tools when scripted, honours response.cancel and conversation.item.truncate, fails on demand.
 */
export const startSandboxModel = async (script: ModelScript = defaultScript, port = 0, host = "127.0.0.1"): Promise<SandboxModel> => {
  const received: Array<Recorded> = []
  const authorizations: Array<string> = []
  const live = new Set<SandboxModelConnection>()
  let count = 0
  const http: Server = createServer((_req, res) => {
    res.statusCode = 426
    res.end("WebSocket only")
  })
  const wss = new WebSocketServer({ noServer: true })
  http.on("upgrade", (req: IncomingMessage, socket, head) => {
    const status = script.faults?.handshakeStatus
    if (status) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":{"code":"sandbox_${status}"}}`)
      return
    }
    authorizations.push(req.headers.authorization ?? "")
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new SandboxModelConnection(ws, ++count, script, (r) => received.push(r))
      live.add(conn)
      const dropAfter = script.faults?.dropConnection?.get(conn.number)
      const dropTimer = dropAfter === undefined ? null : setTimeout(() => ws.terminate(), dropAfter)
      ws.on("message", (data) => {
        try {
          conn.handle(JSON.parse(data.toString()) as Record<string, unknown>)
        } catch {
          ws.send(JSON.stringify({ type: "error", error: { type: "invalid_request_error", code: "invalid_json", message: "not JSON" } }))
        }
      })
      ws.on("error", () => undefined)
      ws.on("close", () => {
        if (dropTimer) clearTimeout(dropTimer)
        conn.close()
        live.delete(conn)
      })
    })
  })
  await new Promise<void>((resolve) => http.listen(port, host, resolve))
  const address = http.address() as AddressInfo
  return {
    url: `ws://${host}:${address.port}/v1/realtime`,
    received,
    authorizations,
    connectionCount: () => count,
    openConnections: () => live.size,
    close: async () => {
      for (const c of wss.clients) c.terminate()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}
