import { BYTES_PER_MS } from "../../domain/mulaw.js"

/**
 * The caller's loudspeaker as Twilio runs it: agent audio queues up and plays in real time;
 * a mark is echoed when the audio queued before it has played; `clear` drops what has not
 * played yet and echoes every pending mark at once.
 */
export class SimulatedPlayback {
  private endsAt = 0
  private received = 0
  private cleared = 0
  private clears = 0
  private pending: Array<{ name: string; dueAt: number }> = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly echo: (markName: string) => void,
    private readonly now: () => number = () => performance.now()
  ) {}

  audio(bytes: number): void {
    const ms = bytes / BYTES_PER_MS
    this.endsAt = Math.max(this.now(), this.endsAt) + ms
    this.received += ms
  }

  mark(name: string): void {
    this.pending.push({ name, dueAt: Math.max(this.now(), this.endsAt) })
    this.schedule()
  }

  clear(): void {
    const t = this.now()
    this.cleared += Math.max(0, this.endsAt - t)
    this.endsAt = t
    this.clears++
    const flushed = this.pending
    this.pending = []
    this.cancelTimer()
    for (const m of flushed) this.echo(m.name)
  }

  /** Agent audio received, in ms. */
  get receivedMs(): number {
    return this.received
  }
  /** Agent audio the caller actually heard so far (received minus still queued minus cleared). */
  get playedMs(): number {
    return this.received - this.cleared - Math.max(0, this.endsAt - this.now())
  }
  get clearedMs(): number {
    return this.cleared
  }
  get clearCount(): number {
    return this.clears
  }
  get idle(): boolean {
    return this.endsAt <= this.now()
  }

  stop(): void {
    this.cancelTimer()
    this.pending = []
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    this.cancelTimer()
    const next = this.pending[0]
    if (!next) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      const t = this.now()
      while (this.pending[0] && this.pending[0].dueAt <= t + 1) this.echo(this.pending.shift()!.name)
      this.schedule()
    }, Math.max(0, next.dueAt - this.now()))
  }
}
