import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CallLogs } from "../../effects/CallLogs.js"
import { type FinalRecord, PendingRecords } from "../../effects/PendingRecords.js"
import { startTestApp, type TestApp } from "../support/app.js"

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant("acme")
})
afterAll(async () => t?.close())

const record = (tenantId: string, streamSid: string): FinalRecord => ({
  tenantId,
  callLog: {
    call_sid: `CA${streamSid.slice(2)}`,
    direction: "inbound",
    from_number: "+14155550100",
    to_number: "+15005550006",
    stream_sid: streamSid,
    status: "completed",
    started_at: new Date(Date.now() - 5_000),
    ended_at: new Date(),
    escalated: false,
    transcript: [{ role: "user", content: "hello", timestamp: new Date().toISOString() }],
    function_calls: []
  },
  voiceSession: { stream_id: streamSid, status: "completed" },
  webhooks: []
})

const run = <A, E>(e: Effect.Effect<A, E, PendingRecords | CallLogs>) => t.app.runtime.runPromise(e)

describe("finished-call records the database refuses", () => {
  it("are set aside in DATA_DIR (not retried, not lost) and do not hold back the next record", async () => {
    // A tenant that does not exist (deleted mid-call): the foreign key refuses the row for good.
    await run(PendingRecords.submit(record("ghost", `MZ${"1".repeat(32)}`)))
    await run(PendingRecords.submit(record("acme", `MZ${"2".repeat(32)}`)))
    expect(await run(Effect.flatMap(PendingRecords, (p) => Effect.sync(() => p.pendingCount())))).toBe(0)

    const rejected = join(t.app.config.dataDir, "rejected-call-records.jsonl")
    expect(existsSync(rejected)).toBe(true)
    const lines = readFileSync(rejected, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { sqlstate: string; record: FinalRecord })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.record.tenantId).toBe("ghost")
    expect(lines[0]!.sqlstate).toMatch(/^23/)

    const written = await run(CallLogs.findByCallSid("acme", `CA${"2".repeat(32)}`))
    expect(written?.status).toBe("completed")
  })
})
