import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import pg from "pg"

const CLK_TCK = 100
const PAGE = 4096

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/** Pins this process (all its threads) to `core`; false when taskset is missing. */
export const pinSelf = (core: number): boolean => {
  try {
    execFileSync("taskset", ["-a", "-cp", String(core), String(process.pid)], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

export interface ProcSample {
  readonly at: number
  /** utime + stime, seconds. */
  readonly cpu: number
  readonly rssBytes: number
}

export const sampleProc = (pid: number): ProcSample => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
  // Fields after the parenthesised command name; utime/stime are fields 14/15, rss 24.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return { at: performance.now(), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK, rssBytes: Number(f[21]) * PAGE }
}

export const cpuPercent = (a: ProcSample, b: ProcSample): number => ((b.cpu - a.cpu) / ((b.at - a.at) / 1000)) * 100

/** Seconds the process's main thread has spent runnable but waiting for a CPU (other processes had it). */
export const runQueueWait = (pid: number | "self"): number => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e9

export interface Target {
  readonly name: "relay" | "server"
  readonly url: string
  readonly pid: number
  readonly stop: () => Promise<void>
}

/** Starts `node --import tsx <script>` pinned to `core`, resolves once `ready()` says so. */
export const startPinned = async (name: Target["name"], script: string, env: Record<string, string>, core: number, port: number, ready: () => Promise<boolean>, extraNodeArgs: ReadonlyArray<string> = []): Promise<Target> => {
  const child: ChildProcess = spawn("taskset", ["-c", String(core), process.execPath, ...extraNodeArgs, "--import", "tsx", script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stderr = ""
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
    if (process.env.BENCH_ECHO_STDERR) process.stderr.write(`[${name}] ${d.toString()}`)
  })
  child.stdout?.resume()
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  const deadline = Date.now() + 60_000
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start: ${stderr}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    name,
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }
}

export const withAdminDb = async (base: string, f: (c: pg.Client) => Promise<void>): Promise<void> => {
  const c = new pg.Client({ connectionString: base })
  await c.connect()
  try {
    await f(c)
  } finally {
    await c.end()
  }
}
