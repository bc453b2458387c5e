import { Effect } from "effect"
import type { OutcomeQuery } from "../src/domain/record-queries.js"
import { type Bucket, bucketRange, fillSeries, type TimeWindow, windowStart } from "../src/domain/time-window.js"
import { isUuid } from "../src/domain/uuid.js"
import { voiceOutcomeView } from "./call-log-views.js"
import { NotFound, ValidationFailed } from "./errors.js"
import { type OutcomeMixRow, VoiceOutcomesRepo } from "./VoiceOutcomesRepo.js"

const mix = (rows: ReadonlyArray<OutcomeMixRow>, dimension: OutcomeMixRow["dimension"]) =>
  rows.filter((r) => r.dimension === dimension).map((r) => ({ name: r.name, count: r.count }))

const emptyPoint = (start: Date) => ({ bucket_start: start.toISOString(), total: 0, billable: 0, escalated: 0, pending_emit: 0, avg_duration_seconds: null })

/** Reads of the canonical voice outcomes (they are written by CallLogs.finalize). */
export class VoiceOutcomes extends Effect.Service<VoiceOutcomes>()("VoiceOutcomes", {
  accessors: true,
  effect: Effect.gen(function* () {
    const repo = yield* VoiceOutcomesRepo

    const list = (tenantId: string, q: OutcomeQuery) =>
      repo.list(tenantId, q, q.page.limit, q.page.offset).pipe(Effect.map((rows) => rows.map(voiceOutcomeView)))

    /** The contract answers 400 for a malformed id here (CONTRACT-NOTES decision 4), 404 for an unknown one. */
    const get = (tenantId: string, id: string) =>
      Effect.gen(function* () {
        if (!isUuid(id)) return yield* Effect.fail(new ValidationFailed({ message: "id must be a UUID" }))
        const row = yield* repo.findById(tenantId, id)
        if (!row) return yield* Effect.fail(new NotFound({ resource: "voice outcome", id }))
        return voiceOutcomeView(row)
      })

    const getByStream = (tenantId: string, streamSid: string) =>
      repo.findByStream(tenantId, streamSid).pipe(
        Effect.flatMap((row) => (row ? Effect.succeed(voiceOutcomeView(row)) : Effect.fail(new NotFound({ resource: "voice outcome for stream", id: streamSid }))))
      )

    const stats = (tenantId: string, window: TimeWindow, now: Date = new Date()) =>
      Effect.gen(function* () {
        const from = windowStart(window, now)
        const { totals, mixes } = yield* Effect.all({ totals: repo.totals(tenantId, from), mixes: repo.mixes(tenantId, from) }, { concurrency: "unbounded" })
        return {
          ...totals,
          resolution_mix: mix(mixes, "resolution"),
          billing_status_mix: mix(mixes, "billing_status"),
          sku_mix: mix(mixes, "sku"),
          risk_mix: mix(mixes, "risk")
        }
      })

    const timeseries = (tenantId: string, window: TimeWindow, bucket: Bucket, now: Date = new Date()) =>
      Effect.gen(function* () {
        const from = windowStart(window, now)
        const rows = yield* repo.buckets(tenantId, from, bucket)
        const first = from ?? rows[0]?.bucket_start
        const range = first ? bucketRange(first, now, bucket) : []
        const points = fillSeries(range, rows.map((r) => ({ bucket_start: r.bucket_start, point: { ...r, bucket_start: r.bucket_start.toISOString() } })), emptyPoint)
        return { window, bucket, points }
      })

    return { list, get, getByStream, stats, timeseries } as const
  }),
  dependencies: [VoiceOutcomesRepo.Default]
}) {}
