import { Effect, Exit } from "effect"
import { WebSocketServer } from "ws"
import type { AppRuntime } from "../../effects/AppLayer.js"
import { LogStream } from "../../effects/LogStream.js"
import { TenantAuth } from "../../effects/TenantAuth.js"
import type { UpgradeHandler } from "../http/server.js"

/**
 * `GET /api/v1/logs` (WebSocket): the tenant's live call events — transcripts, tool calls,
 * state changes. Bearer in the Authorization header (or `?token=` for browsers, which cannot
 * set headers on a WebSocket). A subscriber that falls behind is dropped, never the call.
 */
export const logsUpgrade = (runtime: AppRuntime): UpgradeHandler => {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const logs = runtime.runSync(LogStream)
  return (req, socket, head) => {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams.get("token")
    const authorization = req.headers.authorization ?? (query ? `Bearer ${query}` : undefined)
    runtime.runPromiseExit(Effect.map(TenantAuth.authenticate(authorization), (t) => t.tenantId)).then((exit) => {
      if (Exit.isFailure(exit)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + JSON.stringify({ success: false, error: "invalid or missing bearer token", code: "UNAUTHORIZED" }))
        return
      }
      const tenantId = exit.value
      wss.handleUpgrade(req, socket, head, (ws) => {
        const unsubscribe = logs.subscribe(tenantId, {
          send: (text) => ws.send(text),
          bufferedBytes: () => ws.bufferedAmount,
          drop: (reason) => ws.close(1013, reason)
        })
        ws.on("error", () => undefined)
        ws.on("close", unsubscribe)
        ws.send(JSON.stringify({ type: "subscribed", tenant_id: tenantId, timestamp: new Date().toISOString() }))
      })
    })
  }
}
