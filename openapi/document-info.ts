import type { SecuritySchemeObject } from "trpc-to-openapi"
import type { SecurityScheme } from "../routers/trpc.js"

/** The three published documents: which operations each lists (by `contract.document`) and its title. */
export const DOCUMENTS = [
  { file: "openapi.json", title: "Voice API - Full", scope: "all" },
  { file: "public.json", title: "Voice API - Public", scope: "public" },
  { file: "admin.json", title: "Voice API - Admin", scope: "admin" }
] as const
export type DocumentSpec = (typeof DOCUMENTS)[number]

const SCOPE_NOTE: Record<DocumentSpec["scope"], string> = {
  all: "This is the full document: every operation of the public (tenant runtime) and admin APIs.",
  public: "This document lists the tenant runtime API (`Authorization: Bearer`), Twilio webhooks and probes.",
  admin: "This document lists the platform administration API (`x-admin-key` or the admin session cookie)."
}

export const descriptionOf = (scope: DocumentSpec["scope"]) => `Multi-tenant backend for AI phone agents: Twilio calls bridged to a realtime speech model.

${SCOPE_NOTE[scope]}

## Authentication
Tenant endpoints accept either a generated tenant API key or a legacy tenant bearer token:
\`\`\`
Authorization: Bearer <your-api-key>
\`\`\`

Tenant API keys are created and revoked from the admin API (\`/api/v1/admin/tenants/{tenant_id}/api-keys\`).
Legacy tenant bearer tokens can be disabled with \`LEGACY_TENANT_BEARER_AUTH_ENABLED=false\`.

Admin endpoints require \`x-admin-key: <ADMIN_API_KEY>\` or the HttpOnly session cookie created by
\`POST /api/v1/admin/auth/login\` (when \`ADMIN_USERNAME\` and \`ADMIN_PASSWORD\` or \`ADMIN_PASSWORD_SHA256\` are set).
Without either, admin endpoints answer 404.

Twilio webhooks are verified with \`X-Twilio-Signature\`; media stream WebSocket handshakes use a short-lived
\`stream_token\`. Kubernetes probes need no credential.

## Errors
Tenant endpoints answer errors as \`ErrorResponse\`, admin endpoints as \`AdminErrorResponse\`, webhooks as plain text.
Every secured operation can answer 401; rate-limited requests answer 429 with \`Retry-After\`.

## Rate Limiting
- Per-IP: 60 requests/minute (\`RATE_LIMIT_PER_IP_PER_MINUTE\`)
- Per-tenant: 1000 requests/minute (\`RATE_LIMIT_PER_TENANT_PER_MINUTE\`)

## Published Specs
\`/api-docs/public.json\`, \`/api-docs/admin.json\` and \`/api-docs/openapi.json\`; Swagger UI at \`/swagger-ui\`, docs hub at \`/docs\`.
`

export const SERVERS = [
  { url: "http://localhost:5050", description: "Local development" },
  { url: "https://voice.stateset.app", description: "Production" },
  { url: "https://voice-staging.stateset.com", description: "Staging" }
]

export const EXTERNAL_DOCS = { url: "https://voice.stateset.app/docs", description: "StateSet Voice API documentation" }

/** The contract's tag list, in its order; a document lists the ones its operations use. */
export const TAGS: ReadonlyArray<{ readonly name: string; readonly description: string }> = [
  { name: "health", description: "Health check and monitoring endpoints for Kubernetes probes and observability" },
  { name: "calls", description: "Twilio call management - initiate outbound calls and handle webhooks" },
  { name: "call_logs", description: "Tenant call history, call detail, and aggregate call statistics" },
  { name: "admin", description: "Administrative endpoints for tenant/platform management (requires x-admin-key)" },
  { name: "sessions", description: "Voice session management - monitor, control, and escalate active sessions" },
  { name: "operations", description: "Supervisor workflow, callback queue, and operator follow-up endpoints" },
  { name: "voice_sessions", description: "Persisted voice session records - list, query, and retrieve session history from the database" },
  { name: "automation", description: "Automation and function execution - test and manage AI tool functions" },
  { name: "logs", description: "Real-time log streaming via WebSocket for debugging and monitoring" },
  { name: "media", description: "Real-time Twilio media streaming via WebSocket" },
  { name: "access", description: "Public access request intake for Voice API prospects" },
  { name: "webhooks", description: "Webhook payload schemas - documents the event payloads sent to external webhook URLs" }
]

export const SECURITY_SCHEMES: Record<SecurityScheme, SecuritySchemeObject> = {
  admin_key: {
    type: "apiKey",
    in: "header",
    name: "x-admin-key",
    description: "Admin API key header. Required when ADMIN_API_KEY is configured."
  },
  admin_session: {
    type: "apiKey",
    in: "cookie",
    name: "stateset_admin_session",
    description: "HttpOnly browser session cookie created by the admin login endpoint."
  },
  bearer_auth: { type: "http", scheme: "bearer", bearerFormat: "Bearer" },
  stream_token: {
    type: "apiKey",
    in: "query",
    name: "stream_token",
    description: "Short-lived media stream token used during Twilio Media Streams WebSocket setup."
  },
  twilio_signature: {
    type: "apiKey",
    in: "header",
    name: "X-Twilio-Signature",
    description: "Twilio webhook signature used to verify callback authenticity."
  }
}
