import type { HttpProblem } from "../../routers/error-table.js"
import type { Envelope } from "../../routers/trpc.js"

export interface RenderedError {
  readonly contentType: string
  readonly body: string
}

/** The contract's error body for one envelope kind. */
export const renderProblem = (envelope: Envelope, problem: HttpProblem, requestId: string): RenderedError => {
  switch (envelope) {
    case "admin":
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message }) }
    case "automation":
      // AutomationResponse: automation endpoints answer failures in their success shape.
      return { contentType: "application/json", body: JSON.stringify({ ok: false, error: problem.message }) }
    case "plain":
      return { contentType: "text/plain; charset=utf-8", body: problem.message }
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
