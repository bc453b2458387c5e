import type { RunResult } from "./load.js"
import { median } from "./metrics.js"

type R = RunResult

type Col = readonly [header: string, pick: (r: R) => number, digits: number]

const COLS: ReadonlyArray<Col> = [
  ["m→T p50", (r) => r.m2tP50, 1],
  ["m→T p99", (r) => r.m2tP99, 1],
  ["T→m p50", (r) => r.t2mP50, 1],
  ["T→m p99", (r) => r.t2mP99, 1],
  ["lost in", (r) => r.lostIn, 0],
  ["lost out", (r) => r.lostOut, 0],
  ["CPU %", (r) => r.cpuPct, 0],
  ["CPU %/call", (r) => r.cpuPerCall, 2],
  ["RSS MB", (r) => r.rssMb, 0],
  ["barge-ins", (r) => r.bargeIns, 0],
  ["trunc bias", (r) => r.truncBias, 1],
  ["trunc err p50", (r) => r.truncErrP50, 1],
  ["trunc err p99", (r) => r.truncErrP99, 1],
  ["trunc err max", (r) => r.truncErrMax, 1],
  ["refused trunc", (r) => r.truncRefused, 0],
  ["stale after clear", (r) => r.staleAfterClear, 0],
  ["sockets left", (r) => r.modelSocketsLeft, 0],
  ["gen CPU %", (r) => r.genCpuPct, 0],
  ["target wait %", (r) => r.targetWaitPct, 1],
  ["gen wait %", (r) => r.genWaitPct, 1]
]

const fmt = (v: number, d: number) => (Number.isNaN(v) ? "–" : v.toFixed(d))

/** Medians over the repeats, one row per (N, target); latencies in ms. */
export const printTable = (results: ReadonlyArray<RunResult>, ns: ReadonlyArray<number>, targets: ReadonlyArray<string>): void => {
  const header = ["N", "target", ...COLS.map((c) => c[0])]
  const rows: Array<Array<string>> = []
  for (const n of ns)
    for (const t of targets) {
      const runs = results.filter((r) => r.calls === n && r.target === t)
      if (runs.length === 0) continue
      rows.push([String(n), `${t} (${runs.length})`, ...COLS.map(([, pick, d]) => fmt(median(runs.map(pick)), d))])
    }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`
  process.stdout.write(`${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${rows.map(line).join("\n")}\n`)
  process.stdout.write("latencies in ms (added by the system under test, both fakes on one clock); medians of the runs in brackets\n")
  // A process's RSS never shrinks back, so memory per call is the slope between the smallest and largest N.
  for (const t of targets) {
    const rss = (n: number) => median(results.filter((r) => r.calls === n && r.target === t).map((r) => r.rssMb))
    const lo = Math.min(...ns)
    const hi = Math.max(...ns)
    if (hi > lo) process.stdout.write(`${t}: RSS per call ≈ ${fmt(((rss(hi) - rss(lo)) * 1024) / (hi - lo), 0)} KB (RSS at N=${hi} minus N=${lo})\n`)
  }
}
