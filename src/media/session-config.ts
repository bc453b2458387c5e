import type { ToolDefinition } from "../../effects/ToolRegistry.js"
import type { AgentVersionConfig } from "../domain/agent-config.js"

export const DEFAULT_INSTRUCTIONS = "You are a helpful, concise phone assistant. Speak naturally and keep answers short."
export const DEFAULT_VOICE = "alloy"
export const SILENCE_MS = 500
export const FALLBACK_LINE = "We're sorry, we are having technical difficulties. Please call back later. Goodbye."

const num = (v: unknown, fallback: number, min: number, max: number): number =>
  typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback

/** Call limits from the tenant's config (seconds there, fractions allowed), with defaults. */
export const callLimits = (tenant: Readonly<Record<string, unknown>>) => ({
  idleMs: num(tenant.idle_timeout_seconds, 30, 1, 600) * 1000,
  maxDurationMs: num(tenant.max_call_duration_seconds, 30 * 60, 1, 4 * 3600) * 1000,
  /** Time the goodbye gets to play before the max-duration hang-up. */
  goodbyeMs: num(tenant.max_duration_goodbye_seconds, 4, 0, 30) * 1000,
  silenceMs: num(tenant.vad_silence_ms, SILENCE_MS, 100, 3000)
})

/** GA `session.update` body: μ-law both ways, transcription on, server VAD, the agent's tools. */
export const sessionConfig = (agent: AgentVersionConfig, tools: ReadonlyArray<ToolDefinition>, silenceMs: number) => ({
  type: "realtime",
  instructions: agent.instructions ?? DEFAULT_INSTRUCTIONS,
  output_modalities: ["audio"],
  audio: {
    input: {
      format: { type: "audio/pcmu" },
      transcription: { model: "gpt-4o-mini-transcribe" },
      noise_reduction: { type: "near_field" },
      turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: silenceMs, create_response: true, interrupt_response: true }
    },
    output: { format: { type: "audio/pcmu" }, voice: agent.voice ?? DEFAULT_VOICE }
  },
  tools: tools.map((t) => ({ type: "function", name: t.name, description: t.description, parameters: t.parameters })),
  tool_choice: "auto"
})

export const greetingInstructions = (greeting: string): string => `Say exactly this greeting to the caller: "${greeting}"`
