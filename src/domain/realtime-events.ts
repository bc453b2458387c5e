/**
 * The OpenAI Realtime GA server events the call runtime acts on, decoded from JSON once.
 * Anything else arrives as `other` with its type, so logs can still name it.
 */

export interface RealtimeErrorBody {
  readonly type: string
  readonly code: string | null
  readonly message: string
}

export type ServerEvent =
  | { readonly type: "session.created" | "session.updated" }
  | { readonly type: "input_audio_buffer.speech_started"; readonly audio_start_ms: number; readonly item_id: string | null }
  | { readonly type: "input_audio_buffer.speech_stopped"; readonly audio_end_ms: number; readonly item_id: string | null }
  | { readonly type: "input_audio_buffer.timeout_triggered" }
  | { readonly type: "conversation.item.input_audio_transcription.completed"; readonly item_id: string; readonly transcript: string }
  | { readonly type: "conversation.item.done"; readonly item: ConversationItem }
  | { readonly type: "response.created"; readonly response_id: string }
  | { readonly type: "response.output_audio.delta"; readonly response_id: string; readonly item_id: string; readonly delta: string }
  | { readonly type: "response.output_audio_transcript.delta"; readonly response_id: string; readonly item_id: string; readonly delta: string }
  | { readonly type: "response.output_audio_transcript.done"; readonly response_id: string; readonly item_id: string; readonly transcript: string }
  | { readonly type: "response.function_call_arguments.done"; readonly response_id: string; readonly call_id: string; readonly name: string; readonly arguments: string }
  | { readonly type: "response.done"; readonly response_id: string; readonly status: string }
  | { readonly type: "error"; readonly error: RealtimeErrorBody }
  | { readonly type: "other"; readonly name: string }

/** A conversation item as the model reports it; what we replay after a reconnect. */
export type ConversationItem =
  | { readonly type: "message"; readonly id: string; readonly role: "user" | "assistant" | "system"; readonly text: string }
  | { readonly type: "function_call"; readonly id: string; readonly call_id: string; readonly name: string; readonly arguments: string }
  | { readonly type: "function_call_output"; readonly id: string; readonly call_id: string; readonly output: string }

type Json = Record<string, unknown>

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback)
const num = (v: unknown): number => (typeof v === "number" ? v : 0)
const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {})

const itemText = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((c) => { const o = obj(c); return str(o.transcript) || str(o.text) }).filter(Boolean).join(" ")
    : ""

export const parseItem = (raw: unknown): ConversationItem | null => {
  const i = obj(raw)
  const id = str(i.id)
  switch (i.type) {
    case "message": {
      const role = i.role === "user" || i.role === "assistant" || i.role === "system" ? i.role : "assistant"
      return { type: "message", id, role, text: itemText(i.content) }
    }
    case "function_call":
      return { type: "function_call", id, call_id: str(i.call_id), name: str(i.name), arguments: str(i.arguments, "{}") }
    case "function_call_output":
      return { type: "function_call_output", id, call_id: str(i.call_id), output: str(i.output) }
    default:
      return null
  }
}

export const parseServerEvent = (text: string): ServerEvent => {
  let e: Json
  try {
    e = obj(JSON.parse(text))
  } catch {
    return { type: "other", name: "(invalid json)" }
  }
  const type = str(e.type)
  switch (type) {
    case "session.created":
    case "session.updated":
    case "input_audio_buffer.timeout_triggered":
      return { type }
    case "input_audio_buffer.speech_started":
      return { type, audio_start_ms: num(e.audio_start_ms), item_id: typeof e.item_id === "string" ? e.item_id : null }
    case "input_audio_buffer.speech_stopped":
      return { type, audio_end_ms: num(e.audio_end_ms), item_id: typeof e.item_id === "string" ? e.item_id : null }
    case "conversation.item.input_audio_transcription.completed":
      return { type, item_id: str(e.item_id), transcript: str(e.transcript) }
    case "conversation.item.done": {
      const item = parseItem(e.item)
      return item ? { type, item } : { type: "other", name: type }
    }
    case "response.created":
      return { type, response_id: str(obj(e.response).id) }
    case "response.output_audio.delta":
    case "response.output_audio_transcript.delta":
      return { type, response_id: str(e.response_id), item_id: str(e.item_id), delta: str(e.delta) }
    case "response.output_audio_transcript.done":
      return { type, response_id: str(e.response_id), item_id: str(e.item_id), transcript: str(e.transcript) }
    case "response.function_call_arguments.done":
      return { type, response_id: str(e.response_id), call_id: str(e.call_id), name: str(e.name), arguments: str(e.arguments, "{}") }
    case "response.done": {
      const r = obj(e.response)
      return { type, response_id: str(r.id), status: str(r.status) }
    }
    case "error": {
      const err = obj(e.error)
      return { type, error: { type: str(err.type), code: typeof err.code === "string" ? err.code : null, message: str(err.message) } }
    }
    default:
      return { type: "other", name: type }
  }
}

/** Errors that only mean "nothing to cancel" or "already answering". */
export const BENIGN_ERROR_CODES: ReadonlySet<string> = new Set(["response_cancel_not_active", "conversation_already_has_active_response"])

/** Retrying these only loops forever. */
export const FATAL_ERROR_CODES: ReadonlySet<string> = new Set([
  "insufficient_quota",
  "invalid_api_key",
  "account_deactivated",
  "billing_hard_limit_reached",
  "model_not_found",
  "unsupported_model"
])

/**
 * Replays an item into a fresh session (audio cannot be replayed; its transcript stands in).
 * The item keeps its id: the model echoes it back as `conversation.item.done`, and a new id
 * would store it a second time and double the history at every reconnect.
 */
export const replayEvent = (item: ConversationItem): Json => {
  const id = item.id ? { id: item.id } : {}
  switch (item.type) {
    case "message":
      return {
        type: "conversation.item.create",
        item: { ...id, type: "message", role: item.role, content: [{ type: item.role === "assistant" ? "output_text" : "input_text", text: item.text }] }
      }
    case "function_call":
      return { type: "conversation.item.create", item: { ...id, type: "function_call", call_id: item.call_id, name: item.name, arguments: item.arguments } }
    case "function_call_output":
      return { type: "conversation.item.create", item: { ...id, type: "function_call_output", call_id: item.call_id, output: item.output } }
  }
}
