/** What the sandbox model says and does; tests pass their own, `npm start` uses the default. */

export interface ScriptedReply {
  readonly text: string
  /** Length of the spoken audio; default 60 ms per character, at least 400 ms. */
  readonly audioMs?: number
  /** Call this tool instead of speaking; the model speaks `text` after the tool's output. */
  readonly tool?: { readonly name: string; readonly arguments: Record<string, unknown> }
}

export interface ModelFaults {
  /** Answer every `session.update` with this error code and close (e.g. `insufficient_quota`). */
  readonly refuseWith?: string
  /** Refuse the WebSocket handshake with this HTTP status (e.g. 401, 503). */
  readonly handshakeStatus?: number
  /** Terminate the socket of these connection numbers (1-based) this long after it opened. */
  readonly dropConnection?: ReadonlyMap<number, number>
}

export interface ModelScript {
  /** Reply to the caller's n-th turn (0-based); past the end the last reply repeats. */
  readonly replies: ReadonlyArray<ScriptedReply>
  /** Transcript the sandbox claims for the caller's n-th turn. */
  readonly callerTranscripts?: ReadonlyArray<string>
  /** Audio per delta event, ms. */
  readonly deltaMs?: number
  /** Paced deltas; `false` sends a whole reply at once. */
  readonly realtime?: boolean
  /** How much faster than real time paced audio is generated (default 2). */
  readonly speedup?: number
  readonly faults?: ModelFaults
}

export const defaultScript: ModelScript = {
  replies: [
    { text: "Let me look that up for you.", tool: { name: "get_current_time", arguments: {} } },
    { text: "Is there anything else I can help you with?" },
    { text: "Thank you for calling. Goodbye!" }
  ],
  callerTranscripts: ["What time is it?", "No, that's all.", "Bye."],
  deltaMs: 100,
  realtime: true
}

export const replyAudioMs = (r: Pick<ScriptedReply, "text" | "audioMs">): number => r.audioMs ?? Math.max(400, r.text.length * 60)
