import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { Playback } from "../../src/domain/playback.js"

/**
 * A reference Twilio written independently of Playback: one outbound buffer played in real
 * time (8 bytes per ms), marks echoed when playback reaches them, `clear` drops the audio
 * and echoes the flushed marks at once.
 */
class TwilioSim {
  private buffer: Array<{ kind: "audio"; bytes: number; item: string } | { kind: "mark"; name: string }> = []
  private cursor = 0
  readonly echoes: Array<{ name: string; at: number }> = []
  playedByItem = new Map<string, number>()
  played = 0

  advance(t: number): void {
    while (this.buffer.length) {
      const head = this.buffer[0]!
      if (head.kind === "mark") {
        this.echoes.push({ name: head.name, at: this.cursor })
        this.buffer.shift()
        continue
      }
      const canPlay = (t - this.cursor) * 8
      if (canPlay <= 0) return
      const n = Math.min(canPlay, head.bytes)
      head.bytes -= n
      this.played += n
      this.playedByItem.set(head.item, (this.playedByItem.get(head.item) ?? 0) + n)
      this.cursor += n / 8
      if (head.bytes <= 1e-9) this.buffer.shift()
      else return
    }
    this.cursor = Math.max(this.cursor, t)
  }

  send(t: number, bytes: number, item: string, mark: string): void {
    this.advance(t)
    this.buffer.push({ kind: "audio", bytes, item }, { kind: "mark", name: mark })
  }

  clear(t: number): void {
    this.advance(t)
    for (const m of this.buffer) if (m.kind === "mark") this.echoes.push({ name: m.name, at: t })
    this.buffer = []
    this.newTimeline()
  }

  /** Playback's timeline restarts at every barge-in, cleared or not. */
  newTimeline(): void {
    this.played = 0
    this.playedByItem = new Map()
  }

  pendingAudio(): number {
    return this.buffer.reduce((s, m) => s + (m.kind === "audio" ? m.bytes : 0), 0)
  }
}

type Op =
  | { kind: "delta"; fresh: boolean; item: number; bytes: number; dt: number }
  | { kind: "speech"; dt: number }
  | { kind: "done"; dt: number }
  | { kind: "wait"; dt: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("delta" as const), fresh: fc.boolean(), item: fc.integer({ min: 0, max: 1 }), bytes: fc.integer({ min: 1, max: 1600 }), dt: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant("speech" as const), dt: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ kind: fc.constant("done" as const), dt: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant("wait" as const), dt: fc.integer({ min: 0, max: 800 }) })
)

/** Replays `ops` against Playback and the reference Twilio, calling `check` after each step. */
const simulate = (ops: ReadonlyArray<Op>, check: (t: number, p: Playback, sim: TwilioSim, generated: Map<string, number>) => void) => {
  const p = new Playback()
  const sim = new TwilioSim()
  const generated = new Map<string, number>()
  let t = 1000
  let respNo = 0
  let delivered = 0
  for (const o of ops) {
    t += o.dt
    sim.advance(t)
    for (; delivered < sim.echoes.length; delivered++) p.mark(sim.echoes[delivered]!.name, sim.echoes[delivered]!.at)
    if (o.kind === "delta") {
      if (o.fresh) respNo++
      const resp = `r${respNo}`
      const item = `${resp}-i${o.item}`
      generated.set(item, (generated.get(item) ?? 0) + o.bytes)
      const d = p.audio(resp, item, o.bytes, t)
      if (d.forward) sim.send(t, o.bytes, item, d.mark)
    } else if (o.kind === "done") {
      p.responseDone(`r${respNo}`)
    } else if (o.kind === "speech") {
      const truthByItem = new Map(sim.playedByItem)
      const truthPending = sim.pendingAudio()
      const b = p.bargeIn(t)
      if (b === null) expect(truthPending).toBeLessThan(1e-6)
      else {
        for (const tr of b.truncates) {
          expect(tr.audioEndMs * 8).toBeLessThanOrEqual(generated.get(tr.itemId) ?? 0)
          expect(Math.abs(tr.audioEndMs - (truthByItem.get(tr.itemId) ?? 0) / 8)).toBeLessThanOrEqual(1)
        }
        if (b.clear) sim.clear(t)
        else {
          expect(truthPending).toBeLessThan(1e-6)
          sim.newTimeline()
        }
      }
    }
    check(t, p, sim, generated)
  }
}

describe("Playback against a reference Twilio", () => {
  test.prop([fc.array(op, { maxLength: 80 })], { numRuns: 400 })("heard ms equals what Twilio played; truncates match it within 1 ms", (ops) => {
    simulate(ops, (t, p, sim) => {
      expect(Math.abs(p.heardMs(t) - sim.played / 8)).toBeLessThan(1e-6)
    })
  })

  test.prop([fc.array(op, { maxLength: 80 }), fc.integer({ min: 0, max: 2000 })], { numRuns: 300 })("played ≤ sent, at any later time too", (ops, later) => {
    simulate(ops, (t, p) => {
      expect(p.heardMs(t)).toBeLessThanOrEqual(p.sentMs + 1e-9)
      expect(p.heardMs(t + later)).toBeLessThanOrEqual(p.sentMs + 1e-9)
      expect(p.heardMs(t + later)).toBeGreaterThanOrEqual(p.heardMs(t) - 1e-9)
    })
  })
})

describe("Playback after a clear", () => {
  const staleMark = fc.record({ epochBack: fc.integer({ min: 1, max: 3 }), pos: fc.integer({ min: 0, max: 50_000 }), item: fc.constantFrom("a", "b") })

  test.prop([fc.array(op, { maxLength: 60 }), fc.array(staleMark, { maxLength: 10 }), fc.integer({ min: 0, max: 3000 })], { numRuns: 300 })(
    "no mark from before a clear moves playback",
    (ops, marks, dt) => {
      simulate([...ops, { kind: "speech", dt: 0 }], () => undefined)
      // Rebuild the same state, then throw marks of earlier epochs at it.
      let last: Playback | undefined
      simulate([...ops, { kind: "speech", dt: 0 }, { kind: "delta", fresh: true, item: 0, bytes: 800, dt: 5 }], (_t, p) => {
        last = p
      })
      const p = last!
      const t = 1e7 + dt
      const before = p.heardMs(t)
      for (const m of marks) {
        const epoch = p.epoch - m.epochBack
        expect(p.mark(`${epoch}|${m.pos}|${m.item}`, t - 1)).toBe(false)
      }
      expect(p.heardMs(t)).toBe(before)
    }
  )

  test.prop([fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 1600 })])("late deltas of a cancelled response are dropped", (ops, bytes) => {
    let last: Playback | undefined
    simulate([...ops, { kind: "delta", fresh: true, item: 0, bytes: 160, dt: 1 }], (_t, p) => {
      last = p
    })
    const p = last!
    const resp = p.activeResponseId!
    const b = p.bargeIn(1e7)
    expect(b?.cancelResponseId).toBe(resp)
    expect(p.audio(resp, "late", bytes, 1e7 + 1).forward).toBe(false)
    expect(p.sentMs).toBe(0)
  })
})

describe("Playback examples", () => {
  test("estimate runs from the last echoed mark at real time, capped by audio sent", () => {
    const p = new Playback()
    const d = p.audio("r1", "i1", 8000, 0) // 1000 ms sent at t=0
    expect(d.forward).toBe(true)
    expect(p.heardMs(400)).toBe(400)
    expect(p.heardMs(5000)).toBe(1000)
    expect(p.bargeIn(400)).toEqual({ clear: true, cancelResponseId: "r1", truncates: [{ itemId: "i1", audioEndMs: 400 }], heardMs: 400 })
  })

  test("playback that ran dry counts from when the next chunk was sent", () => {
    const p = new Playback()
    const a = p.audio("r1", "i1", 800, 0) // 100 ms
    if (!a.forward) throw new Error("expected forward")
    expect(p.mark(a.mark, 100)).toBe(true)
    p.audio("r1", "i1", 800, 300) // sent after the buffer ran dry
    expect(p.heardMs(350)).toBe(150)
  })
})
