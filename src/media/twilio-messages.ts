/** The Twilio Media Streams messages the runtime reads (PROTOCOLS.md). */
export interface TwilioInbound {
  readonly event?: string
  readonly streamSid?: string
  readonly start?: {
    readonly streamSid?: string
    readonly accountSid?: string
    readonly callSid?: string
    readonly customParameters?: Record<string, unknown>
  }
  readonly media?: { readonly payload?: string }
  readonly mark?: { readonly name?: string }
  readonly dtmf?: { readonly digit?: string }
}

export const parseTwilio = (data: unknown): TwilioInbound | null => {
  try {
    const v: unknown = JSON.parse(String(data))
    return typeof v === "object" && v !== null ? (v as TwilioInbound) : null
  } catch {
    return null
  }
}

/** customParameters as strings only: they are Twilio `<Parameter>` values. */
export const stringParams = (raw: Record<string, unknown> | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === "string") out[k] = v
  return out
}
