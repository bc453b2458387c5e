import { describe, expect, test } from "vitest"
import { LatencyTracker } from "../../src/domain/latency.js"
import { summarizeTurnLatencies } from "../../src/domain/percentiles.js"

describe("per-turn latency", () => {
  test("first token from speech_stopped, first audio from when the caller stopped speaking", () => {
    const t = new LatencyTracker(500)
    t.speechStopped(10_000)
    t.firstDelta(10_300)
    t.frameSent(10_305)
    t.markEchoed(10_400)
    t.responseRequested(11_000)
    t.firstDelta(11_200)
    expect(t.turns()).toEqual([
      { turn: 1, trigger: "speech_stopped", llm_first_token_ms: 300, e2e_first_audio_ms: 805, first_mark_ms: 900 },
      { turn: 2, trigger: "response_create", llm_first_token_ms: 200, e2e_first_audio_ms: null, first_mark_ms: null }
    ])
  })

  test("a turn the caller talked over without an answer is not a sample", () => {
    const t = new LatencyTracker(300)
    t.speechStopped(1000)
    t.speechStopped(2000)
    t.firstDelta(2100)
    t.frameSent(2101)
    expect(t.turns().map((x) => x.llm_first_token_ms)).toEqual([100])
  })

  test("summaries aggregate turns per call", () => {
    const t = new LatencyTracker(0)
    for (const [i, d] of [100, 200, 300, 400].entries()) {
      t.speechStopped(i * 10_000)
      t.firstDelta(i * 10_000 + d)
      t.frameSent(i * 10_000 + d + 5)
    }
    const s = summarizeTurnLatencies(t.turns())
    expect(s.turns).toBe(4)
    expect(s.llm_first_token).toMatchObject({ avg_ms: 250, p50_ms: 250, max_ms: 400 })
    expect(s.e2e_first_audio).toMatchObject({ avg_ms: 255, max_ms: 405 })
  })
})
