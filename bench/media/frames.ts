/**
 * Tagged 20 ms μ-law frames. The first 12 bytes of every payload carry who sent it and when,
 * so the generator can time each frame across the system under test, which passes payloads
 * through untouched. 12 is a multiple of 3: the payload's base64 is tag(16 chars) + body.
 */
export const FRAME_MS = 20
export const FRAME_BYTES = 160
const TAG_BYTES = 12
const TAG_CHARS = 16
const MAGIC = 0xa5

export const Kind = { Silence: 0, Speech: 1, Agent: 2 } as const
export type Kind = (typeof Kind)[keyof typeof Kind]

export interface Tag {
  readonly kind: Kind
  readonly call: number
  /** Model response number (agent frames); 0 for caller frames. */
  readonly resp: number
  readonly seq: number
}

const body = (fill: number) => Buffer.alloc(FRAME_BYTES - TAG_BYTES, fill).toString("base64")
const BODIES: Record<Kind, string> = { 0: body(0xff), 1: body(0x10), 2: body(0x55) }
const scratch = Buffer.alloc(TAG_BYTES)

export const framePayload = (t: Tag): string => {
  scratch[0] = MAGIC
  scratch[1] = t.kind
  scratch.writeUInt16BE(t.call, 2)
  scratch.writeUInt16BE(t.resp, 4)
  scratch.writeUInt32BE(t.seq, 6)
  return scratch.toString("base64") + BODIES[t.kind]
}

export const readTag = (b64: string): Tag | null => {
  const b = Buffer.from(b64.slice(0, TAG_CHARS), "base64")
  if (b.length < TAG_BYTES || b[0] !== MAGIC) return null
  return { kind: b[1] as Kind, call: b.readUInt16BE(2), resp: b.readUInt16BE(4), seq: b.readUInt32BE(6) }
}

/** Per-call ring of send times, indexed by frame sequence number. */
export class SendTimes {
  private readonly times = new Float64Array(4096)
  set(seq: number, at: number): void {
    this.times[seq & 4095] = at
  }
  get(seq: number): number {
    return this.times[seq & 4095]!
  }
}
