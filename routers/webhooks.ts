import { z } from "zod"
import { type CallDirection, CallWebhooks, type TwilioWebhook } from "../effects/CallWebhooks.js"
import { withEnvelope } from "./calls.js"
import { headerValue, type RequestContext } from "./context.js"
import { openOp, tenantOp } from "./meta.js"
import { publicProcedure, tenantProcedure } from "./procedures.js"
import { CallStatusAckResponse, TwilioVoiceWebhook } from "./schemas/calls.js"
import { type Meta, router, run } from "./trpc.js"

const TWIML = z.string().describe("TwiML")
const DESCRIPTION = "Twilio webhook endpoint. The service resolves tenant context from the callback, validates the Twilio signature when configured, and returns either TwiML or an acknowledgement."

/** A Twilio form webhook authenticated by `X-Twilio-Signature` (checked in the service: it needs the tenant first). */
const twilioOp = (path: `/${string}`, operationId: string, summary: string, responseBody: "xml" | "json", responseSchema?: string): Meta => {
  const meta = openOp({ method: "POST", path, operationId, summary, description: DESCRIPTION, tags: ["calls"], errors: [400, 401, 500], requestBody: "form", responseBody, ...(responseSchema ? { responseSchema } : {}) }, "plain")
  return { ...meta, openapi: { ...meta.openapi!, protect: true }, contract: { ...meta.contract!, security: ["twilio_signature"] } }
}

/** The bearer-authenticated `-sip` twins: same TwiML, tenant from the credential. */
const sipOp = (path: `/${string}`, operationId: string, summary: string): Meta =>
  withEnvelope(tenantOp({ method: "POST", path, operationId, summary, description: "Tenant-scoped voice call operation for starting outbound AI calls or coordinating Twilio call setup.", tags: ["calls"], errors: [401, 500], requestBody: "form", responseBody: "xml" }), "plain")

const formOf = (input: Record<string, unknown>): URLSearchParams =>
  new URLSearchParams(Object.entries(input).flatMap(([k, v]): Array<[string, string]> => (typeof v === "string" ? [[k, v]] : Array.isArray(v) ? v.map((x) => [k, String(x)]) : [])))

/** REST hands us the raw form (repeated keys kept) and the URL as requested; tRPC callers only have the input. */
const hookOf = (ctx: RequestContext, input: Record<string, unknown>): TwilioWebhook => ({
  pathAndQuery: ctx.url,
  signature: headerValue(ctx.headers, "x-twilio-signature"),
  form: ctx.form ?? formOf(input)
})

const sip = (direction: CallDirection, path: `/${string}`, operationId: string, summary: string) =>
  tenantProcedure
    .meta(sipOp(path, operationId, summary))
    .input(TwilioVoiceWebhook)
    .output(TWIML)
    .mutation(({ ctx, input }) => run(ctx, CallWebhooks.sip(ctx.tenant, direction, hookOf(ctx, input))))

export const webhooksRouter = router({
  incomingCall: publicProcedure
    .meta(twilioOp("/api/v1/incoming-call", "incoming_call", "Incoming Call", "xml"))
    .input(TwilioVoiceWebhook)
    .output(TWIML)
    .mutation(({ ctx, input }) => run(ctx, CallWebhooks.incoming(hookOf(ctx, input)))),

  outboundCall: publicProcedure
    .meta(twilioOp("/api/v1/outbound-call", "outbound_call", "Outbound Call", "xml"))
    .input(TwilioVoiceWebhook)
    .output(TWIML)
    .mutation(({ ctx, input }) => run(ctx, CallWebhooks.outbound(hookOf(ctx, input)))),

  callStatus: publicProcedure
    .meta(twilioOp("/api/v1/call-status", "call_status", "Call Status", "json", "CallStatusAckResponse"))
    .input(TwilioVoiceWebhook)
    .output(CallStatusAckResponse)
    .mutation(({ ctx, input }) => run(ctx, CallWebhooks.status(hookOf(ctx, input)))),

  incomingCallSip: sip("inbound", "/api/v1/incoming-call-sip", "incoming_call", "Incoming Call"),
  outboundCallSip: sip("outbound", "/api/v1/outbound-call-sip", "outbound_call", "Outbound Call")
})
