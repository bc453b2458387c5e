import { twilioSignatureOf } from "../../domain/twilio-signature.js"
import { openMediaStream } from "./media-stream-client.js"
import { parseTwiml, streamOf } from "./twiml.js"
import { type CallScenario, FINAL_TWILIO_STATUSES, type SandboxCall, type SentWebhook, type TwilioCallStatus } from "./types.js"

export interface FlowContext {
  /** The auth token webhooks of this account are signed with. */
  readonly tokenOf: (accountSid: string) => string | undefined
  readonly scenarioOf: (call: SandboxCall) => CallScenario
  /** Maps a `<Stream url>` before connecting (e.g. wss://public-host → ws://127.0.0.1:port). */
  readonly rewriteStreamUrl: (url: string) => string
  readonly frameIntervalMs?: number
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)))

/** Posts a form webhook the way Twilio does: signed with the account's auth token, 15 s timeout. */
export const postWebhook = async (ctx: FlowContext, call: SandboxCall, kind: SentWebhook["kind"], url: string, params: Record<string, string>): Promise<SentWebhook> => {
  const token = ctx.tokenOf(call.accountSid)
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "user-agent": "TwilioProxy/1.1 (sandbox)", "i-twilio-idempotency-token": crypto.randomUUID() }
  if (token) headers["x-twilio-signature"] = twilioSignatureOf(token, url, params)
  let sent: SentWebhook
  try {
    const res = await fetch(url, { method: "POST", headers, body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(15_000) })
    sent = { kind, url, params, status: res.status, body: await res.text() }
  } catch (e) {
    sent = { kind, url, params, status: "error", body: e instanceof Error ? e.message : String(e) }
  }
  call.webhooks.push(sent)
  return sent
}

const baseParams = (call: SandboxCall): Record<string, string> => ({
  CallSid: call.sid,
  AccountSid: call.accountSid,
  From: call.from,
  To: call.to,
  Direction: call.direction,
  ApiVersion: "2010-04-01",
  CallStatus: call.status
})

const EVENT_OF: Partial<Record<TwilioCallStatus, string>> = { queued: "initiated", ringing: "ringing", "in-progress": "answered" }

/** Moves the call and posts its status callback when the event was subscribed. */
export const setStatus = async (ctx: FlowContext, call: SandboxCall, status: TwilioCallStatus): Promise<void> => {
  if (FINAL_TWILIO_STATUSES.has(call.status)) return
  call.status = status
  const final = FINAL_TWILIO_STATUSES.has(status)
  if (final) call.endedAt = Date.now()
  const event = final ? "completed" : EVENT_OF[status]
  const subscribed = call.statusCallbackEvents.length === 0 ? event === "completed" : event !== undefined && call.statusCallbackEvents.includes(event)
  if (call.statusCallback && subscribed) {
    const params: Record<string, string> = {
      ...baseParams(call),
      CallbackSource: "call-progress-events",
      SequenceNumber: String(call.sequence++),
      Timestamp: new Date().toUTCString()
    }
    if (final) {
      const seconds = call.answeredAt ? Math.ceil((call.endedAt! - call.answeredAt) / 1000) : 0
      params.CallDuration = String(seconds)
      params.Duration = String(Math.ceil(seconds / 60))
    }
    if (call.answeredBy && !call.asyncAmd) params.AnsweredBy = call.answeredBy
    await postWebhook(ctx, call, "status_callback", call.statusCallback, params)
  }
  if (final) call.resolveFinished()
}

const answeredByOf = (scenario: CallScenario, machineDetection: string | undefined): string => {
  if (scenario.answer === "fax") return "fax"
  if (scenario.answer !== "machine") return "human"
  return machineDetection === "DetectMessageEnd" ? "machine_end_beep" : "machine_start"
}

/** Runs TwiML until the call should end: a media stream runs its script, anything else talks for a moment. */
export const executeTwiml = async (ctx: FlowContext, call: SandboxCall, twiml: string): Promise<void> => {
  call.twimlExecuted.push(twiml)
  const scenario = ctx.scenarioOf(call)
  let verbs
  try {
    verbs = parseTwiml(twiml)
  } catch {
    return // Twilio plays "an application error has occurred" and hangs up
  }
  const stream = streamOf(verbs)
  if (!stream) {
    if (verbs.some((v) => v.name === "Hangup" || v.name === "Reject")) return
    await Promise.race([sleep(scenario.talkMs ?? 100), new Promise<void>((r) => (call.interrupt = r))])
    return
  }
  const session = openMediaStream({
    url: ctx.rewriteStreamUrl(stream.url),
    accountSid: call.accountSid,
    callSid: call.sid,
    customParameters: stream.parameters,
    ...(scenario.script ? { script: scenario.script } : {}),
    ...(ctx.frameIntervalMs ? { frameIntervalMs: ctx.frameIntervalMs } : {})
  })
  call.interrupt = () => session.hangUp()
  if (call.hangupRequested || call.pendingTwiml !== undefined) session.hangUp()
  call.media = await session.done
}

/** Fetches the voice URL (or takes inline TwiML) once the call is answered. */
export const answerAndRun = async (ctx: FlowContext, call: SandboxCall): Promise<void> => {
  const scenario = ctx.scenarioOf(call)
  if (scenario.answer !== "human") call.answeredBy = answeredByOf(scenario, call.machineDetection)
  else if (call.machineDetection) call.answeredBy = "human"
  call.answeredAt = Date.now()
  await setStatus(ctx, call, "in-progress")
  if (call.machineDetection && call.asyncAmd && call.asyncAmdStatusCallback && call.answeredBy) {
    const amdUrl = call.asyncAmdStatusCallback
    const verdict = call.answeredBy
    void sleep(scenario.amdDelayMs ?? 100).then(() =>
      postWebhook(ctx, call, "amd_callback", amdUrl, { CallSid: call.sid, AccountSid: call.accountSid, AnsweredBy: verdict, MachineDetectionDuration: String(scenario.amdDelayMs ?? 100) })
    )
  }
  let twiml = call.twiml
  if (twiml === undefined && call.url) {
    const params = { ...baseParams(call), ...(call.answeredBy && !call.asyncAmd ? { AnsweredBy: call.answeredBy } : {}) }
    const res = await postWebhook(ctx, call, call.direction === "inbound" ? "incoming" : "voice_url", call.url, params)
    twiml = res.status === 200 ? res.body : undefined
  }
  if (twiml !== undefined && !call.hangupRequested && !FINAL_TWILIO_STATUSES.has(call.status)) await executeTwiml(ctx, call, twiml)
  // A REST update with new TwiML (a transfer) replaces what was running.
  while (call.pendingTwiml !== undefined && !call.hangupRequested && !FINAL_TWILIO_STATUSES.has(call.status)) {
    const next = call.pendingTwiml
    call.pendingTwiml = undefined
    await executeTwiml(ctx, call, next)
  }
  await setStatus(ctx, call, "completed")
}

/** The whole life of an outbound call after the REST create answered 201. */
export const runOutbound = async (ctx: FlowContext, call: SandboxCall): Promise<void> => {
  const scenario = ctx.scenarioOf(call)
  await sleep(5)
  await setStatus(ctx, call, "queued")
  await setStatus(ctx, call, "ringing")
  await sleep(scenario.ringMs ?? 50)
  if (FINAL_TWILIO_STATUSES.has(call.status)) return
  if (scenario.answer === "busy" || scenario.answer === "no-answer" || scenario.answer === "failed") return setStatus(ctx, call, scenario.answer)
  await answerAndRun(ctx, call)
}
