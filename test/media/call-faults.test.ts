import { Effect } from "effect"
import { afterEach, describe, expect, test } from "vitest"
import WebSocket from "ws"
import { LiveCalls } from "../../effects/LiveCalls.js"
import { StreamTokens } from "../../effects/StreamTokens.js"
import { startSandboxModel, type SandboxModel } from "../../src/sandbox/model/server.js"
import type { ModelScript } from "../../src/sandbox/model/script.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { dial, finalLog, newCallSid, waitFor } from "./support.js"

const TENANT = "rt-faults"
const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

const setup = async (script: ModelScript): Promise<{ model: SandboxModel; t: TestApp }> => {
  const model = await startSandboxModel(script)
  const t = await startTestApp({ OPENAI_REALTIME_URL: model.url })
  cleanup.push(() => model.close(), () => t.close())
  await t.createTenant(TENANT, { greeting: "Hello, this is Acme." })
  return { model, t }
}

const REPLY = { replies: [{ text: "Sure, we open at nine.", audioMs: 800 }], callerTranscripts: ["When do you open?"], deltaMs: 100 }

describe("call runtime faults", () => {
  test("the model socket drops mid-call: reconnect, replay the conversation, the call goes on", async () => {
    const { model, t } = await setup({ ...REPLY, faults: { dropConnection: new Map([[1, 1500]]) } })
    const { callSid, session } = await dial(t, TENANT, [
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 },
      { kind: "wait_for_playback_idle", timeoutMs: 5000 },
      { kind: "silence", ms: 1000 },
      { kind: "speak", ms: 600 },
      { kind: "silence", ms: 800 },
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 8000 },
      { kind: "wait_for_playback_idle", timeoutMs: 8000 },
      { kind: "hangup" }
    ])
    await session.done
    const log = await finalLog(t, TENANT, callSid)
    expect(model.connectionCount()).toBe(2)
    const second = model.received.filter((r) => r.connection === 2).map((r) => r.event)
    expect(second[0]?.type).toBe("session.update")
    expect(second.some((e) => e.type === "conversation.item.create" && JSON.stringify(e).includes("Hello, this is Acme."))).toBe(true)
    expect(log.status).toBe("completed")
    expect(log.transcript.map((e) => e.content)).toEqual(["Hello, this is Acme.", "When do you open?", "Sure, we open at nine."])
  })

  test("the model refuses for good: the call ends with status failed and the reason", async () => {
    const { t } = await setup({ ...REPLY, faults: { refuseWith: "insufficient_quota" } })
    const { callSid, session } = await dial(t, TENANT, [{ kind: "silence", ms: 5000 }, { kind: "hangup" }])
    const report = await session.done
    expect(report.endedBy).toBe("server")
    const log = await finalLog(t, TENANT, callSid)
    expect(log.status).toBe("failed")
    expect(log.error_message).toContain("insufficient_quota")
  })

  test("Twilio's socket closes abruptly: the model socket is closed and the records are written", async () => {
    const { model, t } = await setup(REPLY)
    const callSid = newCallSid()
    const token = await t.app.runtime.runPromise(StreamTokens.issue({ tenantId: TENANT, callSid }))
    const ws = new WebSocket(`${t.url.replace(/^http/, "ws")}/media-stream?stream_token=${encodeURIComponent(token)}`)
    await new Promise((r) => ws.once("open", r))
    ws.send(JSON.stringify({ event: "start", streamSid: "MZabrupt", start: { streamSid: "MZabrupt", callSid, accountSid: "AC1", customParameters: {} } }))
    await waitFor(() => model.openConnections() === 1, 5000, "model socket")
    ws.terminate()
    await waitFor(() => model.openConnections() === 0, 5000, "model socket closed")
    const log = await finalLog(t, TENANT, callSid)
    expect(log.stream_sid).toBe("MZabrupt")
  })

  test("a second socket for the same CallSid does not start a second model session", async () => {
    const { model, t } = await setup(REPLY)
    const callSid = newCallSid()
    const first = await dial(t, TENANT, [{ kind: "silence", ms: 2500 }, { kind: "hangup" }], callSid)
    await waitFor(() => model.connectionCount() === 1, 5000, "first model session")
    const second = await dial(t, TENANT, [{ kind: "silence", ms: 2500 }, { kind: "hangup" }], callSid)
    expect((await second.session.done).endedBy).toBe("server")
    await first.session.done
    expect(model.connectionCount()).toBe(1)
  })

  test("shutdown with 20 live calls: all 20 are finalized", async () => {
    const model = await startSandboxModel(REPLY)
    cleanup.push(() => model.close())
    const t = await startTestApp({ OPENAI_REALTIME_URL: model.url })
    await t.createTenant(TENANT, { greeting: "Hi." })
    const calls = await Promise.all(Array.from({ length: 20 }, () => dial(t, TENANT, [{ kind: "silence", ms: 60_000 }, { kind: "hangup" }])))
    await waitFor(() => t.app.runtime.runSync(Effect.map(LiveCalls, (l) => l.count())) === 20, 10_000, "20 live calls")
    await t.app.shutdown()
    const again = await startTestApp({ OPENAI_REALTIME_URL: model.url }, t.db)
    cleanup.push(async () => {
      await again.close()
      await t.db.drop()
    })
    for (const c of calls) {
      const log = await finalLog(again, TENANT, c.callSid)
      expect(log.ended_at).not.toBeNull()
    }
  })
})
