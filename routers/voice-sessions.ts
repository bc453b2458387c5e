import { z } from "zod"
import { VoiceSessions } from "../effects/VoiceSessions.js"
import { parseSessionQuery } from "../src/domain/record-queries.js"
import { tenantOp } from "./meta.js"
import { orBadRequest } from "./parse.js"
import { tenantProcedure } from "./procedures.js"
import { CreateVoiceSessionRequest, ListVoiceSessionsInput, VoiceSession, VoiceSessionsListResponse } from "./schemas/voice-sessions.js"
import { router, run } from "./trpc.js"

const TAGS = ["voice_sessions"]
const ERRORS = [401, 404, 500, 503]

/** `null` in the request means "not given"; the service keeps its defaults for those. */
const given = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v)

export const voiceSessionsRouter = router({
  list: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-sessions", operationId: "list_voice_sessions", summary: "List persisted voice sessions", tags: TAGS, errors: [400, 401, 500, 503] }))
    .input(ListVoiceSessionsInput)
    .output(VoiceSessionsListResponse)
    .query(async ({ ctx, input }) => {
      const sessions = await run(ctx, VoiceSessions.list(ctx.tenant.tenantId, orBadRequest(parseSessionQuery(input))))
      return { ok: true, tenant: ctx.tenant.tenantId, count: sessions.length, sessions }
    }),

  create: tenantProcedure
    .meta(tenantOp({ method: "POST", path: "/api/v1/voice-sessions", operationId: "create_voice_session", summary: "Create a voice session in the phone-server store.", tags: TAGS, errors: [400, 401, 409, 500, 503], successStatus: 201, responseSchema: "VoiceSession" }))
    .input(CreateVoiceSessionRequest)
    .output(VoiceSession)
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        VoiceSessions.create(ctx.tenant.tenantId, {
          ...input,
          status: given(input.status),
          tags: given(input.tags),
          transcript: given(input.transcript),
          metadata: input.metadata ?? undefined
        })
      )
    ),

  byStream: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-sessions/by-stream/{stream_id}", operationId: "get_voice_session_by_stream", summary: "Look up a voice session by Twilio stream ID", tags: TAGS, errors: ERRORS, responseSchema: "VoiceSession" }))
    .input(z.object({ stream_id: z.string().describe("Twilio stream ID (e.g. MZ1234...)") }))
    .output(VoiceSession)
    .query(({ ctx, input }) => run(ctx, VoiceSessions.getByStream(ctx.tenant.tenantId, input.stream_id))),

  get: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/api/v1/voice-sessions/{id}", operationId: "get_voice_session", summary: "Get a voice session by UUID", tags: TAGS, errors: ERRORS, responseSchema: "VoiceSession" }))
    .input(z.object({ id: z.string().describe("Voice session UUID") }))
    .output(VoiceSession)
    .query(({ ctx, input }) => run(ctx, VoiceSessions.get(ctx.tenant.tenantId, input.id)))
})
