import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"

export const SUPERVISOR_ACTIONS = ["monitor", "whisper", "barge", "escalate", "end"] as const
export type SupervisorAction = (typeof SUPERVISOR_ACTIONS)[number]

export interface SupervisorActionRow {
  readonly id: string
  readonly tenant_id: string
  readonly stream_sid: string
  readonly call_sid: string | null
  readonly action: SupervisorAction
  readonly supervisor: string
  readonly note: string | null
  readonly reason: string | null
  readonly target: string | null
  readonly metadata: unknown
  readonly created_at: Date
}

export type SupervisorActionInput = Omit<SupervisorActionRow, "id" | "created_at" | "tenant_id">

export interface SupervisorActionFilter {
  readonly tenantId?: string | undefined
  readonly streamSid?: string | undefined
  readonly action?: SupervisorAction | undefined
  readonly limit: number
  readonly offset: number
}

/** The durable log of supervisor actions (SupervisorActionLog). */
export class SupervisorActions extends Effect.Service<SupervisorActions>()("SupervisorActions", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const record = (tenantId: string, a: SupervisorActionInput) =>
      sql<SupervisorActionRow>`
        INSERT INTO supervisor_action_logs (id, tenant_id, stream_sid, call_sid, action, supervisor, note, reason, target, metadata)
        VALUES (${randomUUID()}, ${tenantId}, ${a.stream_sid}, ${a.call_sid}, ${a.action}, ${a.supervisor}, ${a.note}, ${a.reason},
          ${a.target}, ${JSON.stringify(a.metadata ?? {})}::jsonb)
        RETURNING *`.pipe(Effect.map((rows) => rows[0]!), Effect.orDie)

    /** `tenantId` undefined lists every tenant's (admin). */
    const list = (f: SupervisorActionFilter) => {
      const where = [
        ...(f.tenantId !== undefined ? [sql`tenant_id = ${f.tenantId}`] : []),
        ...(f.streamSid !== undefined ? [sql`stream_sid = ${f.streamSid}`] : []),
        ...(f.action !== undefined ? [sql`action = ${f.action}`] : [])
      ]
      return sql<SupervisorActionRow>`
        SELECT * FROM supervisor_action_logs ${where.length ? sql`WHERE ${sql.and(where)}` : sql``}
        ORDER BY created_at DESC, id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.pipe(Effect.orDie)
    }

    return { record, list } as const
  })
}) {}
