import { Data, Duration, Effect, Option, Queue, Redacted, Schedule, type Scope, Stream, Take } from "effect"
import WebSocket from "ws"
import { type ConversationItem, FATAL_ERROR_CODES, parseServerEvent, replayEvent, type ServerEvent } from "../src/domain/realtime-events.js"
import { AppConfig } from "./AppConfig.js"

/** The model refused for good (bad key, no quota) or could not be reached after retries. */
export class ModelFailed extends Data.TaggedError("ModelFailed")<{
  readonly code: string
  readonly message: string
}> {}

class ConnectFailed extends Data.TaggedError("ConnectFailed")<{
  readonly retryable: boolean
  readonly message: string
  readonly status?: number
}> {}

/** Our own signal on the event stream: the socket was replaced and the conversation replayed. */
export type ModelEvent = ServerEvent | { readonly type: "session.reconnected"; readonly reconnects: number; readonly planned: boolean }

export interface ModelSessionOptions {
  /** `session` of `session.update` (GA shape). Replayed first on every (re)connection. */
  readonly session: Record<string, unknown>
  readonly model: string
  /** The tenant's key; the server's OPENAI_API_KEY otherwise. */
  readonly apiKey?: Redacted.Redacted | undefined
  /** Reconnect at a quiet moment after this long (the model's hard session cap is ~60 min). */
  readonly recycleAfterMs?: number
  /**
   * Hot path: events go to this function synchronously, in order, as they arrive, and `events`
   * carries only the failure. A fiber hop per audio delta costs a call more CPU than the relay.
   */
  readonly onEvent?: (event: ModelEvent) => void
}

export interface ModelSession {
  /** Inbound events (none when `onEvent` takes them); fails with ModelFailed when the model refuses for good. */
  readonly events: Stream.Stream<ModelEvent, ModelFailed>
  /** Queued while the socket (re)opens: nothing the caller says is dropped. */
  readonly send: (event: Record<string, unknown>) => void
  /** Hot path: Twilio's base64 μ-law payload passes through unchanged. */
  readonly appendAudio: (base64: string) => void
  readonly history: () => ReadonlyArray<ConversationItem>
  readonly reconnects: () => number
}

const CONNECT_TIMEOUT = Duration.seconds(5)
const MAX_PENDING = 5_000
// 0.25 s, 0.5 s, 1 s, 2 s with jitter: long enough for a blip, short enough for a live caller.
const RECONNECT = Schedule.exponential("250 millis").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(4)))
const FATAL_STATUS = new Set([400, 401, 403, 404])

/** Scoped sessions with the OpenAI Realtime GA protocol (or the sandbox) at OPENAI_REALTIME_URL. */
export class RealtimeModel extends Effect.Service<RealtimeModel>()("RealtimeModel", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig

    const open = (opts: ModelSessionOptions): Effect.Effect<ModelSession, never, Scope.Scope> =>
      Effect.gen(function* () {
        const queue = yield* Effect.acquireRelease(Queue.unbounded<Take.Take<ModelEvent, ModelFailed>>(), Queue.shutdown)
        const url = `${config.openaiRealtimeUrl}${config.openaiRealtimeUrl.includes("?") ? "&" : "?"}model=${encodeURIComponent(opts.model)}`
        const key = opts.apiKey ?? Option.getOrUndefined(config.openaiApiKey)
        const headers: Record<string, string> = key ? { authorization: `Bearer ${Redacted.value(key)}` } : {}
        const items = new Map<string, ConversationItem>()
        let pending: Array<string> = []
        let socket: WebSocket | null = null
        let fatal = false
        let closing = false
        let reconnects = 0
        let activeResponses = 0
        let recycling = false
        let recycleDue = false
        let recycleTimer: NodeJS.Timeout | undefined
        let callerSpeaking = false

        const failWith = (code: string, message: string) => {
          fatal = true
          Queue.unsafeOffer(queue, Take.fail(new ModelFailed({ code, message })))
        }
        const onEvent = opts.onEvent
        const emit = (e: ModelEvent) => {
          if (!onEvent) return void Queue.unsafeOffer(queue, Take.of(e))
          if (closing) return
          // A throw here would escape into the socket's event emitter and take the process down.
          try {
            onEvent(e)
          } catch (err) {
            failWith("runtime_error", `handling ${e.type} failed: ${err instanceof Error ? err.message : String(err)}`)
            socket?.close(1011)
          }
        }
        // Replacing the socket loses a response in flight and uncommitted caller audio: wait for both.
        const recycleIfQuiet = () => {
          if (!recycleDue || recycling || activeResponses > 0 || callerSpeaking) return
          recycling = true
          socket?.close(1000, "recycle")
        }
        const sendRaw = (s: string) => {
          if (socket && socket.readyState === WebSocket.OPEN) socket.send(s)
          else if (pending.length < MAX_PENDING) pending.push(s)
        }

        const onMessage = (data: WebSocket.RawData) => {
          const event = parseServerEvent(data.toString())
          switch (event.type) {
            case "conversation.item.done":
              items.set(event.item.id, event.item)
              break
            case "conversation.item.input_audio_transcription.completed": {
              const item = items.get(event.item_id)
              if (item?.type === "message") items.set(item.id, { ...item, text: event.transcript })
              break
            }
            case "response.created":
              activeResponses++
              break
            case "input_audio_buffer.speech_started":
              callerSpeaking = true
              break
            case "input_audio_buffer.speech_stopped":
              callerSpeaking = false
              break
            case "response.done":
              activeResponses = Math.max(0, activeResponses - 1)
              recycleIfQuiet()
              break
            case "error":
              if (event.error.code && FATAL_ERROR_CODES.has(event.error.code)) {
                failWith(event.error.code, event.error.message)
                socket?.close(1000)
                return
              }
          }
          emit(event)
        }

        const connectOnce = Effect.async<WebSocket, ConnectFailed>((resume) => {
          // No permessage-deflate: base64 audio barely compresses, and zlib per frame and per socket costs CPU and memory.
          const ws = new WebSocket(url, { headers, handshakeTimeout: Duration.toMillis(CONNECT_TIMEOUT), perMessageDeflate: false })
          ws.on("error", (e) => resume(Effect.fail(new ConnectFailed({ retryable: true, message: e.message }))))
          ws.once("unexpected-response", (_req, res) => {
            const status = res.statusCode ?? 0
            res.resume()
            ws.terminate()
            resume(Effect.fail(new ConnectFailed({ retryable: !FATAL_STATUS.has(status), status, message: `handshake refused with HTTP ${status}` })))
          })
          ws.once("open", () => resume(Effect.succeed(ws)))
          return Effect.sync(() => ws.terminate())
        }).pipe(
          Effect.timeoutFail({ duration: Duration.sum(CONNECT_TIMEOUT, "1 second"), onTimeout: () => new ConnectFailed({ retryable: true, message: "connect timeout" }) }),
          Effect.retry({ schedule: RECONNECT, while: (e) => e.retryable })
        )

        /** Session first, then the conversation so far, then whatever queued while we were away. */
        const attach = (ws: WebSocket) => {
          socket = ws
          activeResponses = 0
          callerSpeaking = false
          recycleDue = false
          clearTimeout(recycleTimer)
          if (opts.recycleAfterMs !== undefined)
            recycleTimer = setTimeout(() => {
              recycleDue = true
              recycleIfQuiet()
            }, opts.recycleAfterMs)
          ws.on("message", onMessage)
          ws.send(JSON.stringify({ type: "session.update", session: opts.session }))
          if (reconnects > 0) for (const item of items.values()) ws.send(JSON.stringify(replayEvent(item)))
          const queued = pending
          pending = []
          for (const s of queued) ws.send(s)
        }

        const untilClosed = (ws: WebSocket) =>
          Effect.async<{ code: number; reason: string }>((resume) => {
            if (ws.readyState === WebSocket.CLOSED) return resume(Effect.succeed({ code: 1006, reason: "" }))
            ws.once("close", (code, reason) => resume(Effect.succeed({ code, reason: reason.toString() })))
          })

        const loop = Effect.gen(function* () {
          while (!closing && !fatal) {
            const ws = yield* connectOnce
            attach(ws)
            if (reconnects > 0) emit({ type: "session.reconnected", reconnects, planned: recycling })
            recycling = false
            const closed = yield* untilClosed(ws)
            socket = null
            if (closing || fatal) return
            reconnects++
            yield* Effect.logInfo("model socket closed; reconnecting with history", { code: closed.code, reason: closed.reason, reconnects })
          }
        }).pipe(
          Effect.catchAll((e) => Effect.sync(() => failWith(e.status ? `http_${e.status}` : "connect_failed", e.message)))
        )

        yield* Effect.forkScoped(loop)
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            closing = true
            clearTimeout(recycleTimer)
            const ws = socket
            socket = null
            if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, "call ended")
            else ws?.terminate()
          })
        )

        return {
          events: Stream.flattenTake(Stream.fromQueue(queue)),
          send: (event) => sendRaw(JSON.stringify(event)),
          appendAudio: (b64) => sendRaw(`{"type":"input_audio_buffer.append","audio":"${b64}"}`),
          history: () => [...items.values()],
          reconnects: () => reconnects
        } satisfies ModelSession
      })

    return { open } as const
  })
}) {}
