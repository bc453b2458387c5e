import { SqlClient, type Statement } from "@effect/sql"
import { Effect } from "effect"
import type { Bucket } from "../src/domain/time-window.js"

export interface VoiceOutcomeRow {
  readonly id: string
  readonly tenant_id: string
  readonly stream_sid: string
  readonly call_sid: string | null
  readonly call_log_id: string | null
  readonly resolution: string
  readonly disposition: unknown
  readonly billing_status: string
  readonly billable_sku: string | null
  readonly outcome_source: string
  readonly primary_intent: string | null
  readonly risk_level: string | null
  readonly escalated: boolean
  readonly duration_seconds: number | null
  readonly call_type: string | null
  readonly agent_name: string | null
  readonly customer_phone: string | null
  readonly org_id: string | null
  readonly metadata: unknown
  readonly occurred_at: Date
  readonly created_at: Date
  readonly updated_at: Date
}

export type NewVoiceOutcome = Omit<VoiceOutcomeRow, "id" | "tenant_id" | "created_at" | "updated_at">

export interface VoiceOutcomeFilters {
  readonly resolution?: string
  readonly billingStatus?: string
  readonly billableSku?: string
  readonly callType?: string
}

export interface OutcomeTotalsRow {
  readonly total: number
  readonly billable: number
  readonly not_billable: number
  readonly pending_emit: number
  readonly emitted: number
  readonly failed_billing: number
  readonly escalated: number
  readonly avg_duration_seconds: number | null
}

export interface OutcomeMixRow {
  readonly dimension: "resolution" | "billing_status" | "sku" | "risk"
  readonly name: string
  readonly count: number
}

export interface OutcomeBucketRow {
  readonly bucket_start: Date
  readonly total: number
  readonly billable: number
  readonly escalated: number
  readonly pending_emit: number
  readonly avg_duration_seconds: number | null
}

const COLUMNS = `id, tenant_id, stream_sid, call_sid, call_log_id, resolution, disposition, billing_status, billable_sku, outcome_source,
  primary_intent, risk_level, escalated, duration_seconds, call_type, agent_name, customer_phone, org_id, metadata, occurred_at,
  created_at, updated_at`

/** SQL for voice_outcomes and the billing outbox. */
export class VoiceOutcomesRepo extends Effect.Service<VoiceOutcomesRepo>()("VoiceOutcomesRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const cols = sql.literal(COLUMNS)
    const one = (rows: ReadonlyArray<VoiceOutcomeRow>) => rows[0]

    /**
     * One outcome per stream. Re-finalizing a call refreshes it, except that a billing decision
     * the outbox has already acted on (emitted / failed) is never rewritten.
     */
    const upsert = (tenantId: string, o: NewVoiceOutcome) =>
      sql<VoiceOutcomeRow>`INSERT INTO voice_outcomes (tenant_id, stream_sid, call_sid, call_log_id, resolution, disposition, billing_status,
          billable_sku, outcome_source, primary_intent, risk_level, escalated, duration_seconds, call_type, agent_name, customer_phone,
          org_id, metadata, occurred_at)
        VALUES (${tenantId}, ${o.stream_sid}, ${o.call_sid}, ${o.call_log_id}, ${o.resolution}, ${JSON.stringify(o.disposition)}::jsonb,
          ${o.billing_status}, ${o.billable_sku}, ${o.outcome_source}, ${o.primary_intent}, ${o.risk_level}, ${o.escalated},
          ${o.duration_seconds}, ${o.call_type}, ${o.agent_name}, ${o.customer_phone}, ${o.org_id}, ${JSON.stringify(o.metadata ?? {})}::jsonb,
          ${o.occurred_at})
        ON CONFLICT (tenant_id, stream_sid) DO UPDATE SET
          call_sid = EXCLUDED.call_sid, call_log_id = EXCLUDED.call_log_id, resolution = EXCLUDED.resolution,
          disposition = EXCLUDED.disposition, outcome_source = EXCLUDED.outcome_source, primary_intent = EXCLUDED.primary_intent,
          risk_level = EXCLUDED.risk_level, escalated = EXCLUDED.escalated, duration_seconds = EXCLUDED.duration_seconds,
          call_type = EXCLUDED.call_type, agent_name = EXCLUDED.agent_name, customer_phone = EXCLUDED.customer_phone,
          org_id = EXCLUDED.org_id, metadata = EXCLUDED.metadata, occurred_at = EXCLUDED.occurred_at,
          billing_status = CASE WHEN voice_outcomes.billing_status IN ('emitted', 'failed') THEN voice_outcomes.billing_status ELSE EXCLUDED.billing_status END,
          billable_sku = CASE WHEN voice_outcomes.billing_status IN ('emitted', 'failed') THEN voice_outcomes.billable_sku ELSE EXCLUDED.billable_sku END,
          updated_at = now()
        RETURNING ${cols}`.pipe(Effect.map((rows) => rows[0]!))

    /** The outcome's billing event; a still-pending event is refreshed, a delivered one left alone. */
    const enqueueBilling = (o: VoiceOutcomeRow) => {
      const billable = o.billable_sku !== null && o.billing_status === "pending_emit"
      const payload = {
        voice_outcome_id: o.id,
        tenant_id: o.tenant_id,
        stream_sid: o.stream_sid,
        call_sid: o.call_sid,
        resolution: o.resolution,
        billable,
        billable_sku: o.billable_sku,
        duration_seconds: o.duration_seconds,
        occurred_at: o.occurred_at.toISOString()
      }
      return sql`INSERT INTO billing_outcome_outbox (tenant_id, voice_outcome_id, event_type, billable, billable_sku, payload)
        VALUES (${o.tenant_id}, ${o.id}, 'voice_outcome.recorded', ${billable}, ${o.billable_sku}, ${JSON.stringify(payload)}::jsonb)
        ON CONFLICT (voice_outcome_id) DO UPDATE SET billable = EXCLUDED.billable, billable_sku = EXCLUDED.billable_sku,
          payload = EXCLUDED.payload, next_attempt_at = now()
        WHERE billing_outcome_outbox.status = 'pending'`
    }

    const where = (tenantId: string, f: VoiceOutcomeFilters): Statement.Fragment => {
      const c: Array<Statement.Fragment> = [sql`tenant_id = ${tenantId}`]
      if (f.resolution !== undefined) c.push(sql`resolution = ${f.resolution}`)
      if (f.billingStatus !== undefined) c.push(sql`billing_status = ${f.billingStatus}`)
      if (f.billableSku !== undefined) c.push(sql`billable_sku = ${f.billableSku}`)
      if (f.callType !== undefined) c.push(sql`call_type = ${f.callType}`)
      return sql.and(c)
    }

    const list = (tenantId: string, f: VoiceOutcomeFilters, limit: number, offset: number) =>
      sql<VoiceOutcomeRow>`SELECT ${cols} FROM voice_outcomes WHERE ${where(tenantId, f)}
        ORDER BY occurred_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`.pipe(Effect.orDie)

    const findById = (tenantId: string, id: string) =>
      sql<VoiceOutcomeRow>`SELECT ${cols} FROM voice_outcomes WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(Effect.orDie, Effect.map(one))

    const findByStream = (tenantId: string, streamSid: string) =>
      sql<VoiceOutcomeRow>`SELECT ${cols} FROM voice_outcomes WHERE tenant_id = ${tenantId} AND stream_sid = ${streamSid}`.pipe(Effect.orDie, Effect.map(one))

    const since = (from: Date | null) => (from ? sql`AND occurred_at >= ${from}` : sql.literal(""))

    const totals = (tenantId: string, from: Date | null) =>
      sql<OutcomeTotalsRow>`SELECT count(*) AS total,
          count(*) FILTER (WHERE billable_sku IS NOT NULL AND billing_status <> 'not_billable') AS billable,
          count(*) FILTER (WHERE billing_status = 'not_billable') AS not_billable,
          count(*) FILTER (WHERE billing_status = 'pending_emit') AS pending_emit,
          count(*) FILTER (WHERE billing_status = 'emitted') AS emitted,
          count(*) FILTER (WHERE billing_status = 'failed') AS failed_billing,
          count(*) FILTER (WHERE escalated) AS escalated,
          avg(duration_seconds)::float8 AS avg_duration_seconds
        FROM voice_outcomes WHERE tenant_id = ${tenantId} ${since(from)}`.pipe(Effect.orDie, Effect.map((rows) => rows[0]!))

    const mixes = (tenantId: string, from: Date | null) =>
      sql<OutcomeMixRow>`SELECT dimension, name, count(*) AS count FROM (
          SELECT unnest(ARRAY['resolution', 'billing_status', 'sku', 'risk']) AS dimension,
                 unnest(ARRAY[resolution, billing_status, coalesce(billable_sku, 'none'), coalesce(risk_level, 'unknown')]) AS name
          FROM voice_outcomes WHERE tenant_id = ${tenantId} ${since(from)}) m
        GROUP BY dimension, name ORDER BY dimension, count(*) DESC, name`.pipe(Effect.orDie)

    const buckets = (tenantId: string, from: Date | null, bucket: Bucket) =>
      sql<OutcomeBucketRow>`SELECT date_trunc(${bucket}, occurred_at, 'UTC') AS bucket_start, count(*) AS total,
          count(*) FILTER (WHERE billable_sku IS NOT NULL AND billing_status <> 'not_billable') AS billable,
          count(*) FILTER (WHERE escalated) AS escalated,
          count(*) FILTER (WHERE billing_status = 'pending_emit') AS pending_emit,
          avg(duration_seconds)::float8 AS avg_duration_seconds
        FROM voice_outcomes WHERE tenant_id = ${tenantId} ${since(from)} GROUP BY 1 ORDER BY 1`.pipe(Effect.orDie)

    return { upsert, enqueueBilling, list, findById, findByStream, totals, mixes, buckets } as const
  })
}) {}
