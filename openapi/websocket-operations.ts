/**
 * The two WebSocket endpoints are upgrade handlers, not procedures (src/media/handler.ts,
 * src/media/logs-socket.ts), so trpc-to-openapi never sees them; they are documented here,
 * in the contract's terms, and placed in the public and full documents.
 */
type Json = Record<string, unknown>

const text = (description: string) => ({ description, content: { "text/plain": { schema: { type: "string" } } } })

export interface UpgradeOperation {
  readonly path: string
  readonly method: "get"
  readonly tags: ReadonlyArray<string>
  readonly operation: Json
}

export const UPGRADE_OPERATIONS: ReadonlyArray<UpgradeOperation> = [
  {
    path: "/media-stream",
    method: "get",
    tags: ["media"],
    operation: {
      tags: ["media"],
      summary: "Handler",
      description:
        "WebSocket endpoint for Twilio Media Streams. Authenticate with the short-lived `stream_token` (query string or `start.customParameters`) that the call's TwiML carries, or tenant bearer authentication for internal clients. At most MEDIA_BOOTSTRAP_LIMIT sockets may wait for their `start` message.",
      operationId: "handler",
      responses: {
        "101": { description: "WebSocket upgrade for Twilio Media Streams" },
        "400": text("Missing WebSocket upgrade headers"),
        "401": text("Unauthorized"),
        "429": { ...text("Too many pending bootstrap sessions"), headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } } } }
      },
      security: [{ stream_token: [] }, { bearer_auth: [] }]
    }
  },
  {
    path: "/api/v1/logs",
    method: "get",
    tags: ["logs"],
    operation: {
      tags: ["logs"],
      summary: "Logs Ws",
      description:
        "WebSocket stream of this tenant's call events (transcript deltas, tool calls, state changes). Bearer auth in the `Authorization` header (or `?token=` for browsers). A subscriber that stops reading is dropped; calls are never slowed by it.",
      operationId: "logs_ws",
      responses: {
        "101": { description: "WebSocket upgrade to stream logs/events" },
        "401": { description: "Unauthorized", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } } }
      },
      security: [{ bearer_auth: [] }]
    }
  }
]
