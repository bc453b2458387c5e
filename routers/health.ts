import { z } from "zod"
import { Health, VERSION } from "../effects/Health.js"
import { audioOutputProvider, elevenlabsConfigured } from "../effects/Tenants.js"
import { openOp, tenantOp } from "./meta.js"
import { publicProcedure, tenantProcedure } from "./procedures.js"
import { NoInput } from "./schemas/common.js"
import { router, run } from "./trpc.js"

const ReadinessCheck = z
  .object({ name: z.string(), status: z.string(), ready: z.boolean(), details: z.unknown() })
  .meta({ id: "ReadinessCheck", description: "Health status of a single subsystem checked during the readiness probe" })

export const ReadinessResponse = z
  .object({
    ready: z.boolean(),
    status: z.string(),
    checks: z.array(ReadinessCheck),
    version: z.string(),
    timestamp: z.string(),
    uptime_seconds: z.number().int().min(0)
  })
  .meta({ id: "ReadinessResponse", description: "Aggregated readiness probe result with individual subsystem checks" })

const LivenessResponse = z.object({ alive: z.boolean(), heartbeat_age_ms: z.number(), uptime_seconds: z.number().int() })

const HealthResponse = z
  .object({
    ok: z.boolean(),
    tenant: z.string(),
    org_id: z.string().nullable().optional(),
    tools: z.number().int().min(0),
    activeSessions: z.number().int().min(0),
    uptime: z.number().int().min(0),
    configuredAudioOutputProvider: z.string(),
    effectiveAudioOutputProvider: z.string(),
    audioProviderFallback: z.boolean(),
    elevenlabsConfigured: z.boolean(),
    elevenlabsReady: z.boolean()
  })
  .meta({ id: "HealthResponse", description: "Tenant-scoped health snapshot with tool, session, and audio-provider state" })

const RootResponse = z
  .object({ message: z.string(), version: z.string(), timestamp: z.string(), tenant: z.string(), org_id: z.string().nullable().optional() })
  .meta({ id: "RootResponse", description: "Service banner with version and timestamp returned by the root endpoint" })

const orgOf = (config: Record<string, unknown>) => (typeof config.org_id === "string" ? config.org_id : null)

export const healthRouter = router({
  live: publicProcedure
    .meta(openOp({ method: "GET", path: "/health/live", operationId: "liveness", summary: "Liveness probe", tags: ["health"], errors: [503] }, "plain"))
    .input(NoInput)
    .output(LivenessResponse)
    .query(async ({ ctx }) => {
      const l = await run(ctx, Health.liveness)
      if (!l.alive) ctx.response.status = 503
      return l
    }),

  ready: publicProcedure
    .meta(openOp({ method: "GET", path: "/health/ready", operationId: "readiness", summary: "Readiness probe - indicates if the application is ready to serve traffic", tags: ["health"], errors: [503], responseSchema: "ReadinessResponse" }, "plain"))
    .input(NoInput)
    .output(ReadinessResponse)
    .query(async ({ ctx }) => {
      const r = await run(ctx, Health.readiness)
      if (!r.ready) ctx.response.status = 503
      return r
    }),

  health: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/health", operationId: "health", summary: "General health check endpoint", tags: ["health"], errors: [401], responseSchema: "HealthResponse" }))
    .input(NoInput)
    .output(HealthResponse)
    .query(async ({ ctx }) => {
      const { config, tenantId } = ctx.tenant
      const provider = audioOutputProvider(config)
      const elevenReady = elevenlabsConfigured(config)
      return {
        ok: true,
        tenant: tenantId,
        org_id: orgOf(config),
        tools: 0,
        activeSessions: 0,
        uptime: await run(ctx, Health.uptimeSeconds),
        configuredAudioOutputProvider: provider,
        effectiveAudioOutputProvider: provider === "elevenlabs" && !elevenReady ? "openai" : provider,
        audioProviderFallback: provider === "elevenlabs" && !elevenReady,
        elevenlabsConfigured: elevenlabsConfigured(config),
        elevenlabsReady: elevenReady
      }
    }),

  status: tenantProcedure
    .meta(tenantOp({ method: "GET", path: "/status", operationId: "root", summary: "Root", tags: ["health"], errors: [401], responseSchema: "RootResponse" }))
    .input(NoInput)
    .output(RootResponse)
    .query(({ ctx }) => ({
      message: "Voice API (Twilio Media Streams <-> realtime model) is running",
      version: VERSION,
      timestamp: new Date().toISOString(),
      tenant: ctx.tenant.tenantId,
      org_id: orgOf(ctx.tenant.config)
    }))
})
