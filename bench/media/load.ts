import { randomBytes } from "node:crypto"
import type { FakeModel } from "./fake-model.js"
import { FakeTwilioCall } from "./fake-twilio.js"
import { CallMetrics, percentile, RunSamples, truncateErrors } from "./metrics.js"
import { cpuPercent, runQueueWait, type ProcSample, sampleProc, type Target } from "./processes.js"

export interface LoadOptions {
  readonly target: Target
  readonly calls: number
  readonly seconds: number
  readonly model: FakeModel
  /** customParameters for a call (the server wants a stream token bound to the CallSid). */
  readonly paramsFor: (callSid: string) => Record<string, string>
}

export interface RunResult {
  readonly target: Target["name"]
  readonly calls: number
  readonly connected: number
  readonly m2tP50: number
  readonly m2tP99: number
  readonly t2mP50: number
  readonly t2mP99: number
  readonly lostIn: number
  readonly lostOut: number
  readonly outOfOrder: number
  readonly cpuPct: number
  readonly cpuPerCall: number
  readonly rssMb: number
  readonly genCpuPct: number
  /** % of the window the target's / generator's event loop thread was runnable but waiting for its core: contention that taints the run. */
  readonly targetWaitPct: number
  readonly genWaitPct: number
  readonly bargeIns: number
  /** Median signed error: below 0 the truncate claims less than was played (e.g. the clear arrived late). */
  readonly truncBias: number
  readonly truncErrP50: number
  readonly truncErrP99: number
  readonly truncErrMax: number
  readonly truncRefused: number
  readonly staleAfterClear: number
  /** Model sockets still open 10 s after every call hung up (leak check). */
  readonly modelSocketsLeft: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const TICK_MS = 2

/** N concurrent calls against one target: ramp, warm up, measure, wind down, count, hang up. */
export const runLoad = async (o: LoadOptions): Promise<RunResult> => {
  const samples = new RunSamples()
  const metrics = Array.from({ length: o.calls }, (_, i) => new CallMetrics(i))
  const calls: Array<FakeTwilioCall> = []
  o.model.options.callOf = (i) => metrics[i]
  o.model.options.samples = samples
  o.model.stopping = false
  o.model.dropsAfterSpeech = o.target.name === "server"
  const timer = setInterval(() => {
    const now = performance.now()
    for (const c of calls) c.tick(now)
    o.model.tick(now)
  }, TICK_MS)

  // Staggered like real traffic; a 429 from the bootstrap limit is retried.
  await Promise.all(
    metrics.map(async (m) => {
      await sleep(m.index * 10)
      const callSid = `CA${randomBytes(16).toString("hex")}`
      for (let attempt = 0; attempt < 20; attempt++) {
        const c = new FakeTwilioCall(m, samples, callSid, o.paramsFor(callSid))
        try {
          await c.connect(`${o.target.url}/media-stream`)
          calls.push(c)
          return
        } catch {
          await sleep(250)
        }
      }
    })
  )
  await sleep(2000)
  const gen0 = process.cpuUsage()
  const wait0 = [runQueueWait(o.target.pid), runQueueWait("self")]
  const t0: ProcSample = sampleProc(o.target.pid)
  samples.measuring = true
  await sleep(o.seconds * 1000)
  samples.measuring = false
  const t1 = sampleProc(o.target.pid)
  const wait1 = [runQueueWait(o.target.pid), runQueueWait("self")]
  const gen = process.cpuUsage(gen0)
  const genCpuPct = ((gen.user + gen.system) / 1000 / (t1.at - t0.at)) * 100

  // Wind down: no new turns or responses, let audio drain, then stop the inbound track.
  for (const c of calls) c.callerActive = false
  o.model.stopping = true
  const deadline = performance.now() + 8000
  while ((o.model.busy() || calls.some((c) => c.pendingMs(performance.now()) > 0)) && performance.now() < deadline) await sleep(50)
  await sleep(500)
  for (const c of calls) c.sending = false
  await sleep(1000)
  for (const c of calls) c.hangUp()
  const closeDeadline = performance.now() + 10_000
  while (o.model.conns.size > 0 && performance.now() < closeDeadline) await sleep(100)
  clearInterval(timer)

  const sum = (f: (m: CallMetrics) => number) => metrics.reduce((a, m) => a + f(m), 0)
  const signed = truncateErrors(metrics)
  const errors = signed.map(Math.abs)
  const connected = calls.length
  const cpuPct = cpuPercent(t0, t1)
  const windowS = (t1.at - t0.at) / 1000
  return {
    target: o.target.name,
    calls: o.calls,
    connected,
    m2tP50: percentile(samples.modelToTwilio, 0.5),
    m2tP99: percentile(samples.modelToTwilio, 0.99),
    t2mP50: percentile(samples.twilioToModel, 0.5),
    t2mP99: percentile(samples.twilioToModel, 0.99),
    lostIn: sum((m) => m.inSent - m.inReceived),
    lostOut: sum((m) => m.outDeliverable - (m.outReceived - m.staleAfterClear)),
    outOfOrder: sum((m) => m.inOutOfOrder),
    cpuPct,
    cpuPerCall: cpuPct / Math.max(1, connected),
    rssMb: t1.rssBytes / 2 ** 20,
    genCpuPct,
    targetWaitPct: ((wait1[0]! - wait0[0]!) / windowS) * 100,
    genWaitPct: ((wait1[1]! - wait0[1]!) / windowS) * 100,
    bargeIns: sum((m) => m.clears),
    truncBias: percentile(signed, 0.5),
    truncErrP50: percentile(errors, 0.5),
    truncErrP99: percentile(errors, 0.99),
    truncErrMax: errors.length ? Math.max(...errors) : Number.NaN,
    truncRefused: sum((m) => m.truncatesRefused),
    staleAfterClear: sum((m) => m.staleAfterClear),
    modelSocketsLeft: o.model.conns.size
  }
}
