import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

export interface CallUpdate {
  readonly at: number
  readonly callSid: string
  readonly params: Readonly<Record<string, string>>
}

export const TWILIO_ACCOUNT = `AC${"b1".repeat(16)}`
export const twilioTenantConfig = { twilio: { account_sid: TWILIO_ACCOUNT, auth_token: "c".repeat(32), from_number: "+15555550199" } }

/** Twilio's REST API at the network edge: records `Calls/{Sid}.json` updates and answers like Twilio. */
export const startFakeTwilioRest = async () => {
  const updates: Array<CallUpdate> = []
  const server = createServer((req, res) => {
    let body = ""
    req.on("data", (c: Buffer) => (body += c.toString()))
    req.on("end", () => {
      const m = /\/Accounts\/([^/]+)\/Calls\/([^/.]+)\.json$/.exec(new URL(req.url ?? "/", "http://x").pathname)
      if (!m || req.method !== "POST") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ code: 20404, message: "not found", status: 404 }))
        return
      }
      updates.push({ at: performance.now(), callSid: m[2]!, params: Object.fromEntries(new URLSearchParams(body)) })
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sid: m[2], account_sid: m[1], status: "completed", to: "+15555550100", from: "+15555550199" }))
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    updates,
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}
