import { Effect } from "effect"
import { rate } from "../src/domain/percentiles.js"
import { type Bucket, bucketRange, fillSeries, type TimeWindow, windowStart } from "../src/domain/time-window.js"
import { CallAnalyticsRepo, type LatencyBucketRow } from "./CallAnalyticsRepo.js"

const emptyLatencyPoint = (start: Date) => ({
  bucket_start: start.toISOString(),
  call_count: 0,
  p50_llm_first_token_ms: null,
  p95_llm_first_token_ms: null,
  p99_llm_first_token_ms: null,
  p50_e2e_first_audio_ms: null,
  p95_e2e_first_audio_ms: null,
  p99_e2e_first_audio_ms: null
})

const latencyPoint = (r: LatencyBucketRow) => ({ ...r, bucket_start: r.bucket_start.toISOString() })

/** Stats and latency aggregates of a tenant's calls (CallStats, CallLatencyResponse). */
export class CallAnalytics extends Effect.Service<CallAnalytics>()("CallAnalytics", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* CallAnalyticsRepo

    const stats = (tenantId: string, now: Date = new Date()) =>
      repo.counts(tenantId, now).pipe(
        Effect.map(({ outcome_calls, ...c }) => ({
          ...c,
          // Among calls with a normalized terminal outcome: in-flight calls do not dilute it.
          answer_rate: rate(c.answered_calls, outcome_calls),
          completion_rate: rate(c.completed_calls, c.total_calls),
          escalation_rate: rate(c.escalated_calls, c.total_calls)
        }))
      )

    const latency = (tenantId: string, window: TimeWindow, bucket: Bucket, samples: number, now: Date = new Date()) =>
      Effect.gen(function* () {
        const from = windowStart(window, now)
        const { stats, buckets, slowest } = yield* Effect.all(
          { stats: repo.latencyStats(tenantId, from), buckets: repo.latencyBuckets(tenantId, from, bucket), slowest: repo.slowest(tenantId, from, samples) },
          { concurrency: "unbounded" }
        )
        const first = from ?? buckets[0]?.bucket_start
        const range = first ? bucketRange(first, now, bucket) : []
        return {
          stats: { ...stats, window },
          timeseries: {
            window,
            bucket,
            points: fillSeries(range, buckets.map((b) => ({ bucket_start: b.bucket_start, point: latencyPoint(b) })), emptyLatencyPoint)
          },
          slowest: slowest.map((s) => ({ ...s, started_at: s.started_at.toISOString() }))
        }
      })

    return { stats, latency } as const
  }),
  dependencies: [CallAnalyticsRepo.Default]
}) {}
