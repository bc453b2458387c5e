import { randomBytes } from "node:crypto"
import { CallLogs } from "../../effects/CallLogs.js"
import { StreamTokens } from "../../effects/StreamTokens.js"
import type { CallerScript } from "../../src/sandbox/twilio/caller-script.js"
import { openMediaStream } from "../../src/sandbox/twilio/media-stream-client.js"
import type { TestApp } from "../support/app.js"

export const newCallSid = () => `CA${randomBytes(16).toString("hex")}`

/** A sandbox-Twilio caller on our /media-stream, authenticated by a stream token for the call. */
export const dial = async (t: TestApp, tenantId: string, script: CallerScript, callSid = newCallSid(), extra: Record<string, string> = {}) => {
  const token = await t.app.runtime.runPromise(StreamTokens.issue({ tenantId, callSid }))
  const session = openMediaStream({
    url: `${t.url.replace(/^http/, "ws")}/media-stream`,
    accountSid: "ACtest",
    callSid,
    customParameters: { stream_token: token, direction: "inbound", from: "+15555550100", to: "+15555550199", ...extra },
    script
  })
  return { callSid, session }
}

/** The call's final log, once its fiber has written it. */
export const finalLog = async (t: TestApp, tenantId: string, callSid: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const log = await t.app.runtime.runPromise(CallLogs.findByCallSid(tenantId, callSid))
    if (log && log.ended_at) return log
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no final call log for ${callSid}`)
}

export const waitFor = async (cond: () => boolean, timeoutMs = 10_000, what = "condition") => {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

