import { Effect } from "effect"
import { SESSION_STATUSES, type SessionQuery } from "../src/domain/record-queries.js"
import { isUuid } from "../src/domain/uuid.js"
import { Conflict, NotFound, ValidationFailed } from "./errors.js"
import { onUniqueViolation } from "./sql.js"
import { type VoiceSessionRow, VoiceSessionsRepo, type VoiceSessionWrite } from "./VoiceSessionsRepo.js"

export const voiceSessionView = (r: VoiceSessionRow) => ({
  ...r,
  started_at: r.started_at.toISOString(),
  ended_at: r.ended_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString()
})

export type VoiceSession = ReturnType<typeof voiceSessionView>

const MAX_STREAM_ID = 128

const check = (s: VoiceSessionWrite) => {
  const fail = (message: string) => Effect.fail(new ValidationFailed({ message }))
  if (s.stream_id.trim() === "" || s.stream_id.length > MAX_STREAM_ID) return fail(`stream_id must be 1-${MAX_STREAM_ID} characters`)
  if (s.status !== undefined && !(SESSION_STATUSES as ReadonlyArray<string>).includes(s.status)) {
    return fail(`status must be one of ${SESSION_STATUSES.join(", ")}`)
  }
  if (s.duration_ms != null && !(Number.isSafeInteger(s.duration_ms) && s.duration_ms >= 0)) return fail("duration_ms must be a non-negative integer")
  if (s.turn_count !== undefined && !(Number.isSafeInteger(s.turn_count) && s.turn_count >= 0)) return fail("turn_count must be a non-negative integer")
  return Effect.void
}

/** Persisted voice sessions: created through the API or upserted by the call runtime per stream. */
export class VoiceSessions extends Effect.Service<VoiceSessions>()("VoiceSessions", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* VoiceSessionsRepo

    /**
     * A session that is not active when created has ended: at started_at + duration when the
     * duration is known, else now (when it was reported).
     */
    const create = (tenantId: string, input: VoiceSessionWrite) =>
      Effect.gen(function* () {
        yield* check(input)
        const startedAt = input.started_at ?? new Date()
        const active = (input.status ?? "active") === "active"
        const endedAt = input.ended_at !== undefined ? input.ended_at : active ? null : input.duration_ms != null ? new Date(startedAt.getTime() + input.duration_ms) : new Date()
        const row = yield* repo
          .insert(tenantId, { ...input, started_at: startedAt, ended_at: endedAt })
          .pipe(onUniqueViolation(() => new Conflict({ message: `voice session for stream '${input.stream_id}' already exists` })))
        return voiceSessionView(row)
      })

    const upsertByStream = (tenantId: string, input: VoiceSessionWrite) =>
      check(input).pipe(Effect.zipRight(repo.upsertByStream(tenantId, input).pipe(Effect.orDie)), Effect.map(voiceSessionView))

    const get = (tenantId: string, id: string) =>
      Effect.gen(function* () {
        const row = isUuid(id) ? yield* repo.findById(tenantId, id) : undefined
        if (!row) return yield* Effect.fail(new NotFound({ resource: "voice session", id }))
        return voiceSessionView(row)
      })

    const getByStream = (tenantId: string, streamId: string) =>
      repo.findByStream(tenantId, streamId).pipe(
        Effect.flatMap((r) => (r ? Effect.succeed(voiceSessionView(r)) : Effect.fail(new NotFound({ resource: "voice session for stream", id: streamId }))))
      )

    /** By session id when it is a UUID, else (or when no such id) by stream id; then by call SID. */
    const resolve = (tenantId: string, ref: { readonly sessionId?: string | null | undefined; readonly callSid?: string | null | undefined }) =>
      Effect.gen(function* () {
        const sessionId = ref.sessionId?.trim()
        if (sessionId) {
          const byId = isUuid(sessionId) ? yield* repo.findById(tenantId, sessionId) : undefined
          return byId ?? (yield* repo.findByStream(tenantId, sessionId))
        }
        const callSid = ref.callSid?.trim()
        return callSid ? yield* repo.findByCallSid(tenantId, callSid) : undefined
      })

    const list = (tenantId: string, q: SessionQuery) => repo.list(tenantId, q).pipe(Effect.map((rows) => rows.map(voiceSessionView)))

    return { create, upsertByStream, get, getByStream, resolve, list } as const
  }),
  dependencies: [VoiceSessionsRepo.Default]
}) {}
