import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Bucket } from "../src/domain/time-window.js"

const DAY_MS = 86_400_000

export interface CallCountsRow {
  readonly total_calls: number
  readonly completed_calls: number
  readonly escalated_calls: number
  readonly failed_calls: number
  readonly answered_calls: number
  readonly voicemail_calls: number
  readonly no_answer_calls: number
  readonly busy_calls: number
  readonly failed_outcome_calls: number
  /** Calls with any normalized terminal outcome: the denominator of the answer rate. */
  readonly outcome_calls: number
  readonly avg_duration_seconds: number | null
  readonly calls_last_24h: number
}

export interface LatencyStatsRow {
  readonly call_sample_count: number
  readonly turn_sample_count: number
  readonly avg_llm_first_token_ms: number | null
  readonly p50_llm_first_token_ms: number | null
  readonly p95_llm_first_token_ms: number | null
  readonly p99_llm_first_token_ms: number | null
  readonly max_llm_first_token_ms: number | null
  readonly avg_e2e_first_audio_ms: number | null
  readonly p50_e2e_first_audio_ms: number | null
  readonly p95_e2e_first_audio_ms: number | null
  readonly p99_e2e_first_audio_ms: number | null
  readonly max_e2e_first_audio_ms: number | null
}

export interface LatencyBucketRow {
  readonly bucket_start: Date
  readonly call_count: number
  readonly p50_llm_first_token_ms: number | null
  readonly p95_llm_first_token_ms: number | null
  readonly p99_llm_first_token_ms: number | null
  readonly p50_e2e_first_audio_ms: number | null
  readonly p95_e2e_first_audio_ms: number | null
  readonly p99_e2e_first_audio_ms: number | null
}

export interface LatencySampleRow {
  readonly id: string
  readonly call_sid: string | null
  readonly stream_sid: string | null
  readonly started_at: Date
  readonly duration_seconds: number | null
  readonly model: string | null
  readonly voice: string | null
  readonly turn_count: number | null
  readonly llm_p50_ms: number | null
  readonly llm_p95_ms: number | null
  readonly e2e_p95_ms: number | null
}

/**
 * Aggregates over a tenant's call logs. Counts come from call_stats_daily (kept by triggers);
 * latency statements read only columns of the covering index call_logs_tenant_started_idx, so
 * Postgres answers them with index-only scans.
 * Latency percentiles are "percentile of the per-call percentile" (the contract's definition).
 */
export class CallAnalyticsRepo extends Effect.Service<CallAnalyticsRepo>()("CallAnalyticsRepo", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    // The day range repeats the started_at range so the scan of call_logs_tenant_started_idx is bounded.
    const since = (from: Date | null) =>
      from ? sql`AND (started_at AT TIME ZONE 'UTC')::date >= (${from}::timestamptz AT TIME ZONE 'UTC')::date AND started_at >= ${from}` : sql.literal("")

    /** From the trigger-maintained daily counters; only the last-24h count reads call_logs (a short index range). */
    const counts = (tenantId: string, now: Date) =>
      sql<CallCountsRow>`SELECT
          coalesce(sum(total_calls), 0) AS total_calls,
          coalesce(sum(completed_calls), 0) AS completed_calls,
          coalesce(sum(escalated_calls), 0) AS escalated_calls,
          coalesce(sum(failed_calls), 0) AS failed_calls,
          coalesce(sum(answered_calls), 0) AS answered_calls,
          coalesce(sum(voicemail_calls), 0) AS voicemail_calls,
          coalesce(sum(no_answer_calls), 0) AS no_answer_calls,
          coalesce(sum(busy_calls), 0) AS busy_calls,
          coalesce(sum(failed_outcome_calls), 0) AS failed_outcome_calls,
          coalesce(sum(outcome_calls), 0) AS outcome_calls,
          sum(duration_sum)::float8 / nullif(sum(duration_count), 0) AS avg_duration_seconds,
          (SELECT count(*) FROM call_logs WHERE tenant_id = ${tenantId} ${since(new Date(now.getTime() - DAY_MS))}) AS calls_last_24h
        FROM call_stats_daily WHERE tenant_id = ${tenantId}`.pipe(Effect.orDie, Effect.map((rows) => rows[0]!))


    const latencyStats = (tenantId: string, from: Date | null) =>
      sql<LatencyStatsRow>`SELECT
          count(*) AS call_sample_count,
          coalesce(sum(latency_turns), 0)::int8 AS turn_sample_count,
          avg(llm_first_token_avg_ms) AS avg_llm_first_token_ms,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY llm_first_token_p50_ms) AS p50_llm_first_token_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY llm_first_token_p95_ms) AS p95_llm_first_token_ms,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY llm_first_token_p99_ms) AS p99_llm_first_token_ms,
          max(llm_first_token_max_ms) AS max_llm_first_token_ms,
          avg(e2e_first_audio_avg_ms) AS avg_e2e_first_audio_ms,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY e2e_first_audio_p50_ms) AS p50_e2e_first_audio_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY e2e_first_audio_p95_ms) AS p95_e2e_first_audio_ms,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY e2e_first_audio_p99_ms) AS p99_e2e_first_audio_ms,
          max(e2e_first_audio_max_ms) AS max_e2e_first_audio_ms
        FROM call_logs WHERE tenant_id = ${tenantId} AND latency_turns IS NOT NULL ${since(from)}`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows[0]!)
      )

    // Daily buckets group by the index's day expression (already in order: no sort); hourly ones
    // (the 24h window, a few hundred calls) sort.
    const latencyBuckets = (tenantId: string, from: Date | null, bucket: Bucket) => {
      const key = sql.literal(bucket === "day" ? "(started_at AT TIME ZONE 'UTC')::date" : "date_trunc('hour', started_at, 'UTC')")
      const start = sql.literal(bucket === "day" ? "((started_at AT TIME ZONE 'UTC')::date)::timestamp AT TIME ZONE 'UTC'" : "date_trunc('hour', started_at, 'UTC')")
      return sql<LatencyBucketRow>`SELECT
          ${start} AS bucket_start,
          count(*) AS call_count,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY llm_first_token_p50_ms) AS p50_llm_first_token_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY llm_first_token_p95_ms) AS p95_llm_first_token_ms,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY llm_first_token_p99_ms) AS p99_llm_first_token_ms,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY e2e_first_audio_p50_ms) AS p50_e2e_first_audio_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY e2e_first_audio_p95_ms) AS p95_e2e_first_audio_ms,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY e2e_first_audio_p99_ms) AS p99_e2e_first_audio_ms
        FROM call_logs WHERE tenant_id = ${tenantId} AND latency_turns IS NOT NULL ${since(from)}
        GROUP BY ${key} ORDER BY ${key}`.pipe(Effect.orDie)
    }

    /** The slowest calls by end-to-end p95 (then LLM p95): ids from the index first, details for those few only. */
    const slowest = (tenantId: string, from: Date | null, limit: number) =>
      sql<LatencySampleRow>`WITH top AS (
          SELECT id, e2e_first_audio_p95_ms, llm_first_token_p95_ms FROM call_logs
          WHERE tenant_id = ${tenantId} AND latency_turns IS NOT NULL ${since(from)}
          ORDER BY e2e_first_audio_p95_ms DESC NULLS LAST, llm_first_token_p95_ms DESC NULLS LAST, id
          LIMIT ${limit})
        SELECT c.id, c.call_sid, c.stream_sid, c.started_at, c.duration_seconds, c.model, c.voice, c.latency_turns AS turn_count,
               c.llm_first_token_p50_ms AS llm_p50_ms, c.llm_first_token_p95_ms AS llm_p95_ms, c.e2e_first_audio_p95_ms AS e2e_p95_ms
        FROM top JOIN call_logs c ON c.id = top.id
        ORDER BY top.e2e_first_audio_p95_ms DESC NULLS LAST, top.llm_first_token_p95_ms DESC NULLS LAST, top.id`.pipe(Effect.orDie)

    return { counts, latencyStats, latencyBuckets, slowest } as const
  })
}) {}
