import type { CallerScript } from "./caller-script.js"
import type { MediaStreamReport } from "./media-stream-client.js"

/** Twilio's own call statuses (the REST resource and callbacks speak these). */
export type TwilioCallStatus = "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled"

/** How the far end behaves when the sandbox dials it. */
export interface CallScenario {
  readonly answer: "human" | "machine" | "fax" | "busy" | "no-answer" | "failed"
  /** Ringing time before the outcome (ms). */
  readonly ringMs?: number
  /** Delay of the asynchronous AMD verdict after answer (ms). */
  readonly amdDelayMs?: number
  /** The caller on a media stream. */
  readonly script?: CallerScript
  /** How long a call without a media stream stays up before hanging up (ms). */
  readonly talkMs?: number
}

/** One request the sandbox made to the application (a webhook or callback) and its answer. */
export interface SentWebhook {
  readonly kind: "status_callback" | "amd_callback" | "voice_url" | "incoming"
  readonly url: string
  readonly params: Readonly<Record<string, string>>
  readonly status: number | "error"
  readonly body: string
}

export interface SandboxCall {
  readonly sid: string
  readonly accountSid: string
  readonly to: string
  readonly from: string
  readonly direction: "outbound-api" | "inbound"
  status: TwilioCallStatus
  readonly createdAt: number
  answeredAt?: number
  endedAt?: number
  answeredBy?: string
  /** Where Twilio fetches TwiML (outbound `Url`, inbound webhook), or inline TwiML. */
  readonly url?: string | undefined
  readonly twiml?: string | undefined
  readonly statusCallback?: string | undefined
  readonly statusCallbackEvents: ReadonlyArray<string>
  readonly machineDetection?: string | undefined
  readonly asyncAmd: boolean
  readonly asyncAmdStatusCallback?: string | undefined
  readonly webhooks: Array<SentWebhook>
  /** TwiML documents executed, in order (answers to the voice URL, inline TwiML, updates). */
  readonly twimlExecuted: Array<string>
  media?: MediaStreamReport
  /** Set when an update asked for new instructions or a hang-up while the call ran. */
  interrupt?: () => void
  /** A REST update asked to end the call. */
  hangupRequested?: boolean
  /** TwiML from a REST update, run once the current instructions stop. */
  pendingTwiml?: string
  sequence: number
  /** Resolves when the call reaches a final status. */
  readonly finished: Promise<SandboxCall>
  readonly resolveFinished: () => void
}

/** A programmed failure for the next matching REST request. */
export interface SandboxFault {
  readonly operation: "calls.create" | "calls.update" | "calls.fetch" | "messages.create" | "*"
  /** Only for requests to this number (the form's `To`). */
  readonly to?: string
  /** Answer with this HTTP status and Twilio error code … */
  readonly status?: number
  readonly code?: number
  readonly message?: string
  /** … after this delay; with no status, the request is simply held this long (a timeout). */
  readonly delayMs?: number
}

export const FINAL_TWILIO_STATUSES: ReadonlySet<TwilioCallStatus> = new Set(["completed", "busy", "failed", "no-answer", "canceled"])
