/**
 * The ceiling for `bench:media`: a trivial Twilio ↔ model pass-through with no logic — no
 * auth, no session config, no marks, no barge-in, no records. Run as its own process:
 * `PORT=… MODEL_URL=ws://… node --import tsx bench/media/relay.ts` prints "ready".
 */
import { createServer } from "node:http"
import WebSocket, { WebSocketServer } from "ws"

const port = Number(process.env.PORT ?? 0)
const modelUrl = process.env.MODEL_URL ?? "ws://127.0.0.1:1/v1/realtime"

const http = createServer((_q, r) => r.writeHead(404).end())
const wss = new WebSocketServer({ server: http, path: "/media-stream", perMessageDeflate: false })

wss.on("connection", (twilio) => {
  let model: WebSocket | null = null
  let streamSid = ""
  const pending: Array<string> = []
  const toModel = (s: string) => (model?.readyState === WebSocket.OPEN ? model.send(s) : pending.push(s))
  twilio.on("error", () => undefined)
  twilio.on("message", (data) => {
    const msg = JSON.parse(data.toString()) as { event?: string; streamSid?: string; media?: { payload?: string } }
    if (msg.event === "media" && msg.media?.payload) return toModel(`{"type":"input_audio_buffer.append","audio":"${msg.media.payload}"}`)
    if (msg.event !== "start" || model) return
    streamSid = msg.streamSid ?? ""
    const ws = new WebSocket(modelUrl, { perMessageDeflate: false })
    model = ws
    ws.on("error", () => undefined)
    ws.once("open", () => {
      for (const s of pending.splice(0)) ws.send(s)
    })
    ws.on("message", (d) => {
      const e = JSON.parse(d.toString()) as { type?: string; delta?: string }
      if (e.type === "response.output_audio.delta" && twilio.readyState === WebSocket.OPEN) twilio.send(`{"event":"media","streamSid":"${streamSid}","media":{"payload":"${e.delta}"}}`)
    })
    ws.once("close", () => twilio.close())
  })
  twilio.once("close", () => model?.close())
})

http.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"))
process.once("SIGTERM", () => process.exit(0))
