import { z } from "zod"

const ms = () => z.number().nullable().optional()

export const LatencyStats = z
  .object({
    window: z.string().describe("24h | 7d | 30d | all"),
    call_sample_count: z.number().int().describe("Number of calls contributing samples to the aggregate."),
    turn_sample_count: z.number().int().describe("Sum of per-call turn counts (proxy for total turns observed)."),
    avg_llm_first_token_ms: ms().describe("Average of per-call LLM first-token averages, in milliseconds."),
    p50_llm_first_token_ms: ms().describe("percentile_cont(0.5) of the per-call p50"),
    p95_llm_first_token_ms: ms().describe("percentile_cont(0.95) of the per-call p95"),
    p99_llm_first_token_ms: ms().describe("percentile_cont(0.99) of the per-call p99"),
    max_llm_first_token_ms: ms().describe("Largest single-turn value in the window"),
    avg_e2e_first_audio_ms: ms().describe("Average of per-call end-to-end first-audio averages, in milliseconds."),
    p50_e2e_first_audio_ms: ms().describe("percentile_cont(0.5) of the per-call p50"),
    p95_e2e_first_audio_ms: ms().describe("percentile_cont(0.95) of the per-call p95"),
    p99_e2e_first_audio_ms: ms().describe("percentile_cont(0.99) of the per-call p99"),
    max_e2e_first_audio_ms: ms().describe("Largest single-turn value in the window")
  })
  .meta({
    id: "LatencyStats",
    description:
      "Aggregated turn-latency percentiles across a tenant's calls in the window: per-call scalar percentiles aggregated across calls with percentile_cont (p95 = p95 of the per-call p95)."
  })

export const LatencyTimeseriesPoint = z
  .object({
    bucket_start: z.string().describe("Start of the UTC hour or day"),
    call_count: z.number().int().describe("Calls contributing to this bucket."),
    p50_llm_first_token_ms: ms(),
    p95_llm_first_token_ms: ms(),
    p99_llm_first_token_ms: ms(),
    p50_e2e_first_audio_ms: ms(),
    p95_e2e_first_audio_ms: ms(),
    p99_e2e_first_audio_ms: ms()
  })
  .meta({ id: "LatencyTimeseriesPoint", description: "One time bucket of aggregated latency percentiles (empty buckets have call_count 0)." })

export const LatencyTimeseries = z
  .object({
    window: z.string(),
    bucket: z.string().describe('Bucket granularity: "hour" (window 24h) or "day"'),
    points: z.array(LatencyTimeseriesPoint)
  })
  .meta({ id: "LatencyTimeseries", description: "p50/p95/p99 latency bucketed over the window for the trend chart." })

export const LatencySample = z
  .object({
    id: z.string(),
    call_sid: z.string().nullable().optional(),
    stream_sid: z.string().nullable(),
    started_at: z.string(),
    duration_seconds: z.number().int().nullable().optional(),
    model: z.string().nullable().optional(),
    voice: z.string().nullable().optional(),
    turn_count: z.number().int().nullable().optional(),
    llm_p50_ms: ms(),
    llm_p95_ms: ms(),
    e2e_p95_ms: ms()
  })
  .meta({ id: "LatencySample", description: 'A single call selected as a "slowest" sample for review (highest e2e p95, then LLM p95).' })

export const CallLatencyResponse = z
  .object({ ok: z.boolean(), tenant: z.string(), stats: LatencyStats, slowest: z.array(LatencySample), timeseries: LatencyTimeseries })
  .meta({ id: "CallLatencyResponse", description: "Latency aggregates of the tenant's calls" })

export const CallLatencyInput = z.object({
  window: z.string().optional().describe("Aggregation window: 24h | 7d | 30d | all (default 24h)."),
  samples: z.number().int().optional().describe("Maximum slow-call samples to return (default 10, max 50).")
})
