import { randomBytes } from "node:crypto"
import WebSocket from "ws"
import { FRAME_MS } from "../../domain/mulaw.js"
import { type CallerScript, type CallerStep, DEFAULT_SCRIPT, silenceFrame, framesOf, voiceFrames } from "./caller-script.js"
import { SimulatedPlayback } from "./playback.js"

export interface MediaStreamOptions {
  /** The `<Stream url>` from the TwiML (ws:// or wss://). */
  readonly url: string
  readonly accountSid: string
  readonly callSid: string
  /** The `<Parameter>`s of the `<Stream>`, delivered in `start.customParameters`. */
  readonly customParameters?: Readonly<Record<string, string>>
  readonly script?: CallerScript
  /** Extra headers on the upgrade request (internal clients authenticate with a bearer). */
  readonly headers?: Readonly<Record<string, string>>
  /** Gap between inbound frames; 20 ms is real time. */
  readonly frameIntervalMs?: number
}

export interface MediaStreamReport {
  readonly streamSid: string
  readonly endedBy: "caller" | "server" | "error"
  readonly error?: string
  readonly framesSent: number
  readonly agentAudioMs: number
  readonly agentAudioPlayedMs: number
  readonly agentAudioClearedMs: number
  readonly clears: number
  readonly marksReceived: ReadonlyArray<string>
  readonly marksEchoed: ReadonlyArray<string>
  readonly steps: ReadonlyArray<string>
}

export interface MediaStreamSession {
  readonly streamSid: string
  readonly done: Promise<MediaStreamReport>
  /** Hang up now (sends `stop`, closes the socket). */
  readonly hangUp: () => void
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)))

/**
 * Plays Twilio's side of a bidirectional Media Stream against `url`: `connected`, `start` with
 * the custom parameters, then a continuous 20 ms μ-law inbound track driven by the caller
 * script, `dtmf` events, mark echoes after the agent's audio has "played", honouring `clear`,
 * and `stop` when the caller hangs up.
 */
export const openMediaStream = (opts: MediaStreamOptions): MediaStreamSession => {
  const streamSid = `MZ${randomBytes(16).toString("hex")}`
  const ws = new WebSocket(opts.url, { headers: { ...opts.headers } })
  const interval = opts.frameIntervalMs ?? FRAME_MS
  let seq = 0
  let chunk = 0
  let framesSent = 0
  let ended: MediaStreamReport["endedBy"] | undefined
  let error: string | undefined
  const queue: Array<Uint8Array> = []
  const marksReceived: Array<string> = []
  const marksEchoed: Array<string> = []
  const steps: Array<string> = []

  const send = (msg: Record<string, unknown>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...msg, sequenceNumber: String(++seq) }))
  }
  const playback = new SimulatedPlayback((name) => {
    marksEchoed.push(name)
    send({ event: "mark", streamSid, mark: { name } })
  })

  ws.on("message", (data) => {
    let msg: { event?: string; media?: { payload?: string }; mark?: { name?: string } }
    try {
      msg = JSON.parse(String(data)) as typeof msg
    } catch {
      return
    }
    if (msg.event === "media" && typeof msg.media?.payload === "string") playback.audio(Buffer.from(msg.media.payload, "base64").length)
    else if (msg.event === "mark" && typeof msg.mark?.name === "string") {
      marksReceived.push(msg.mark.name)
      playback.mark(msg.mark.name)
    } else if (msg.event === "clear") playback.clear()
  })

  let signalEnd = () => {}
  const endedSignal = new Promise<void>((r) => (signalEnd = r))
  // A script step waits at most until the call is over.
  const wait = (ms: number) => Promise.race([sleep(ms), endedSignal])

  const finish = (by: MediaStreamReport["endedBy"], why?: string) => {
    if (ended) return
    ended = by
    signalEnd()
    error = why
    playback.stop()
    if (by === "caller") send({ event: "stop", streamSid, stop: { accountSid: opts.accountSid, callSid: opts.callSid } })
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000)
  }

  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("unexpected-response", (_req, res) => reject(new Error(`media stream upgrade refused: HTTP ${res.statusCode}`)))
    ws.on("error", (e) => reject(e))
  })
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()))
  ws.once("close", () => finish("server"))

  const runStep = async (step: CallerStep) => {
    steps.push(step.kind === "speak" && step.label ? `speak:${step.label}` : step.kind)
    switch (step.kind) {
      case "speak":
        queue.push(...(step.audio ? framesOf(step.audio) : voiceFrames(step.ms ?? 1000)))
        while (queue.length > 0 && !ended) await wait(interval)
        return
      case "silence":
        return wait(step.ms)
      case "dtmf":
        return send({ event: "dtmf", streamSid, dtmf: { track: "inbound_track", digit: step.digit } })
      case "wait_for_agent_audio": {
        const from = playback.receivedMs
        const deadline = performance.now() + (step.timeoutMs ?? 10_000)
        while (!ended && playback.receivedMs - from < (step.ms ?? 1) && performance.now() < deadline) await wait(interval)
        return
      }
      case "wait_for_playback_idle": {
        const deadline = performance.now() + (step.timeoutMs ?? 10_000)
        while (!ended && !playback.idle && performance.now() < deadline) await wait(interval)
        return
      }
      case "hangup":
        return finish("caller")
    }
  }

  // The inbound track never pauses: script audio when there is some, line silence otherwise.
  const pump = async () => {
    const started = performance.now()
    while (!ended) {
      const frame = queue.shift() ?? silenceFrame()
      send({ event: "media", streamSid, media: { track: "inbound", chunk: String(++chunk), timestamp: String(Math.round(performance.now() - started)), payload: Buffer.from(frame).toString("base64") } })
      framesSent++
      await wait(started + framesSent * interval - performance.now())
    }
  }

  const done = (async (): Promise<MediaStreamReport> => {
    try {
      await opened
      ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }))
      send({
        event: "start",
        streamSid,
        start: {
          streamSid,
          accountSid: opts.accountSid,
          callSid: opts.callSid,
          tracks: ["inbound"],
          customParameters: { ...opts.customParameters },
          mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 }
        }
      })
      const pumping = pump()
      for (const step of opts.script ?? DEFAULT_SCRIPT) {
        if (ended) break
        await runStep(step)
      }
      finish("caller")
      await pumping
    } catch (e) {
      finish("error", e instanceof Error ? e.message : String(e))
    }
    if (ws.readyState !== WebSocket.CLOSED) await Promise.race([closed, sleep(2000)])
    return {
      streamSid,
      endedBy: ended ?? "error",
      ...(error !== undefined ? { error } : {}),
      framesSent,
      agentAudioMs: playback.receivedMs,
      agentAudioPlayedMs: playback.playedMs,
      agentAudioClearedMs: playback.clearedMs,
      clears: playback.clearCount,
      marksReceived,
      marksEchoed,
      steps
    }
  })()

  return { streamSid, done, hangUp: () => finish("caller") }
}
