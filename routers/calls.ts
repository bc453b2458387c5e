import { z } from "zod"
import { MakeCall } from "../effects/MakeCall.js"
import { TranslationCalls } from "../effects/TranslationCalls.js"
import { headerValue } from "./context.js"
import { tenantOp } from "./meta.js"
import { tenantProcedure } from "./procedures.js"
import { MakeCallRequest, MakeCallResponse, TranslationCallRequest, TranslationCallResponse } from "./schemas/calls.js"
import { type ContractMeta, type Meta, router, run } from "./trpc.js"

/** The contract names an operation-specific failure body for these two. */
export const withEnvelope = (meta: Meta, envelope: ContractMeta["envelope"]): Meta => ({ ...meta, contract: { ...meta.contract!, envelope } })

const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .describe("Same key and body within 24 h: the first response is returned and no second call is placed; same key, other body: 409")
})

export const callsRouter = router({
  makeCall: tenantProcedure
    .meta(
      withEnvelope(
        tenantOp({
          method: "POST",
          path: "/api/v1/make-call",
          operationId: "make_call",
          summary: "Make Call",
          description: "Places an outbound AI voice call through Twilio. The call log is written (queued) before Twilio is asked.",
          tags: ["calls"],
          errors: [400, 401, 409, 429, 500, 503],
          responseSchema: "MakeCallResponse",
          requestHeaders: IdempotencyHeaders
        }),
        "make_call"
      )
    )
    .input(MakeCallRequest)
    .output(MakeCallResponse)
    .mutation(({ ctx, input }) => run(ctx, MakeCall.makeCall(ctx.tenant, input, headerValue(ctx.headers, "idempotency-key")))),

  startTranslationCall: tenantProcedure
    .meta(
      withEnvelope(
        tenantOp({
          method: "POST",
          path: "/api/v1/voice/translation-calls",
          operationId: "start_translation_call",
          summary: "Start Translation Call",
          description: "Dials two participants and joins both legs in one translation room.",
          tags: ["calls"],
          errors: [400, 401, 429, 502, 503],
          responseSchema: "TranslationCallResponse"
        }),
        "translation_call"
      )
    )
    .input(TranslationCallRequest)
    .output(TranslationCallResponse)
    .mutation(({ ctx, input }) => run(ctx, TranslationCalls.start(ctx.tenant, input)))
})
