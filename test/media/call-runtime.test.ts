import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { startSandboxModel, type SandboxModel } from "../../src/sandbox/model/server.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { dial, finalLog } from "./support.js"

const TENANT = "rt-acme"
let model: SandboxModel
let t: TestApp

beforeAll(async () => {
  model = await startSandboxModel({
    replies: [{ text: "You asked a question and here is a fairly long answer to it.", audioMs: 1500 }],
    callerTranscripts: ["What are your opening hours?"],
    deltaMs: 100
  })
  t = await startTestApp({ OPENAI_REALTIME_URL: model.url })
  await t.createTenant(TENANT, { greeting: "Hello and thank you for calling Acme, how can I help you today?" })
})

afterAll(async () => {
  await t?.close()
  await model?.close()
})

describe("call runtime with the sandbox model and sandbox Twilio", () => {
  test("barge-in: clear, cancel and a truncate equal to what the caller heard (±1 frame), no stale audio", async () => {
    const { callSid, session } = await dial(t, TENANT, [
      { kind: "wait_for_agent_audio", ms: 900, timeoutMs: 5000 },
      { kind: "silence", ms: 700 },
      { kind: "speak", ms: 200, label: "interruption" },
      { kind: "hangup" }
    ])
    const report = await session.done
    expect(report.clears).toBe(1)
    const log = await finalLog(t, TENANT, callSid)
    expect(log.status).toBe("completed")
    const truncates = model.received.filter((r) => r.event.type === "conversation.item.truncate")
    const cancels = model.received.filter((r) => r.event.type === "response.cancel")
    expect(truncates.length).toBeGreaterThanOrEqual(1)
    expect(cancels.length).toBeGreaterThanOrEqual(1)
    const heard = truncates[truncates.length - 1]!.event.audio_end_ms as number
    // What the fake Twilio played before it got `clear`; audio arriving after it would add to this.
    expect(Math.abs(heard - report.agentAudioPlayedMs)).toBeLessThanOrEqual(20)
    expect(heard).toBeGreaterThan(1000)
    expect(report.agentAudioMs - report.agentAudioClearedMs - report.agentAudioPlayedMs).toBeLessThanOrEqual(1)
  })

  test("a whole conversation is recorded: transcript with roles, latency per turn", async () => {
    const { callSid, session } = await dial(t, TENANT, [
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 5000 },
      { kind: "wait_for_playback_idle", timeoutMs: 10_000 },
      { kind: "speak", ms: 600, label: "question" },
      { kind: "silence", ms: 700 },
      { kind: "wait_for_agent_audio", ms: 200, timeoutMs: 8000 },
      { kind: "wait_for_playback_idle", timeoutMs: 10_000 },
      { kind: "hangup" }
    ])
    await session.done
    const log = await finalLog(t, TENANT, callSid)
    const roles = log.transcript.map((e) => e.role)
    expect(roles).toEqual(["assistant", "user", "assistant"])
    expect(log.transcript[1]!.content).toBe("What are your opening hours?")
    expect(log.model).toBe("gpt-realtime")
  })
})
