import type { HttpProblem } from "../../routers/error-table.js"
import type { Envelope } from "../../routers/trpc.js"

export interface RenderedError {
  readonly contentType: string
  readonly body: string
}

/** A string the failure recorded about itself (HttpProblem.details), else null. */
const detail = (problem: HttpProblem, key: string): string | null => {
  const d = problem.details
  if (typeof d !== "object" || d === null || Array.isArray(d)) return null
  const v = (d as Record<string, unknown>)[key]
  return typeof v === "string" ? v : null
}

/** The contract's error body for one envelope kind. */
export const renderProblem = (envelope: Envelope, problem: HttpProblem, requestId: string): RenderedError => {
  switch (envelope) {
    case "admin":
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message }) }
    case "automation":
      // AutomationResponse: automation endpoints answer failures in their success shape.
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message }) }
    case "session_action":
      // SessionActionResponse: 400 (unknown action) and 404 (unknown stream) keep the ack shape.
      return { contentType: "application/json", body: JSON.stringify({ ok: false, message: problem.message }) }
    case "function_test":
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message }) }
    case "plain":
      return { contentType: "text/plain; charset=utf-8", body: problem.message }
    case "make_call":
      // MakeCallResponse: failures keep the call's shape, with whatever the attempt established.
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message, call_sid: detail(problem, "call_sid"), status: detail(problem, "status"), to: detail(problem, "to"), from: detail(problem, "from") }) }
    case "translation_call":
      // TranslationCallResponse: the room and whichever legs were placed before the failure.
      return {
        contentType: "application/json",
        body: JSON.stringify({ ok: false, error: problem.message, room_id: detail(problem, "room_id") ?? "", participant_a_call_sid: detail(problem, "participant_a_call_sid"), participant_b_call_sid: detail(problem, "participant_b_call_sid") })
      }
    case "tenant":
      return {
        contentType: "application/json",
        body: JSON.stringify({
          success: false,
          error: problem.message,
          code: problem.code,
          ...(problem.details !== undefined ? { details: problem.details } : {}),
          request_id: requestId
        })
      }
  }
}
