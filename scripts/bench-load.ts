import { Agent, request } from "node:http"
import { twilioSignatureOf } from "../src/domain/twilio-signature.js"

/**
 * The load generator, run in its own process so it does not share a core's event loop with
 * the server it measures. Closed loop: `concurrency` clients, each sending its next request
 * as soon as the previous answer arrived.
 */
export interface LoadJob {
  readonly url: string
  readonly concurrency: number
  readonly warmupMs: number
  readonly durationMs: number
  /** What to send: a fixed request, or a new signed incoming call each time. */
  readonly requests: { readonly kind: "fixed"; readonly path: string } | { readonly kind: "incoming_call"; readonly publicBase: string; readonly authToken: string; readonly params: Record<string, string> }
}

interface Prepared {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** Signed in advance so the measured loop only sends; each request is a new CallSid. */
const prepare = (job: LoadJob, count: number): Array<Prepared> => {
  const r = job.requests
  if (r.kind === "fixed") return [{ path: r.path, headers: {}, body: "" }]
  const path = "/api/v1/incoming-call"
  return Array.from({ length: count }, (_, i) => {
    const params = { ...r.params, CallSid: `CA${process.pid.toString(16).padStart(8, "0")}${i.toString(16).padStart(24, "0")}` }
    return {
      path,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignatureOf(r.authToken, `${r.publicBase}${path}`, params) },
      body: new URLSearchParams(params).toString()
    }
  })
}

export interface LoadResult {
  readonly requests: number
  readonly errors: number
  readonly statuses: Record<string, number>
  readonly seconds: number
  readonly latenciesMs: Array<number>
}

const run = async (job: LoadJob): Promise<LoadResult> => {
  const target = new URL(job.url)
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency })
  const requests = prepare(job, 150_000)
  let next = 0
  let measuring = false
  let stop = false
  const latencies: Array<number> = []
  const statuses: Record<string, number> = {}
  let errors = 0

  const one = () =>
    new Promise<void>((resolve) => {
      const r = requests[next++ % requests.length]!
      const started = performance.now()
      const req = request({ host: target.hostname, port: target.port, method: "POST", path: r.path, headers: { ...r.headers, "content-length": Buffer.byteLength(r.body) }, agent }, (res) => {
        res.resume()
        res.on("end", () => {
          if (measuring) {
            latencies.push(performance.now() - started)
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1
          }
          resolve()
        })
      })
      req.on("error", () => {
        if (measuring) errors++
        resolve()
      })
      req.end(r.body)
    })

  const client = async () => {
    while (!stop) await one()
  }
  const clients = Array.from({ length: job.concurrency }, client)
  await new Promise((r) => setTimeout(r, job.warmupMs))
  measuring = true
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, job.durationMs))
  measuring = false
  const seconds = (performance.now() - t0) / 1000
  stop = true
  await Promise.all(clients)
  agent.destroy()
  return { requests: latencies.length, errors, statuses, seconds, latenciesMs: latencies }
}

process.on("message", (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
      process.exit(1)
    }
  )
})
