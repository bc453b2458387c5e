import { adminAuthRouter } from "./admin/auth.js"
import { agentVersionsRouter } from "./admin/agent-versions.js"
import { agentsRouter } from "./admin/agents.js"
import { apiKeysRouter } from "./admin/api-keys.js"
import { phoneRoutesRouter } from "./admin/phone-routes.js"
import { rolloutGovernanceRouter } from "./admin/rollout-governance.js"
import { rolloutsRouter } from "./admin/rollouts.js"
import { tenantCacheRouter } from "./admin/tenant-cache.js"
import { tenantsRouter } from "./admin/tenants.js"
import { voiceDashboardRouter } from "./admin/voice-dashboard.js"
import { automationEvalsRouter } from "./automation-evals.js"
import { callLogsRouter } from "./call-logs.js"
import { healthRouter } from "./health.js"
import { router } from "./trpc.js"
import { voiceOutcomesRouter } from "./voice-outcomes.js"
import { voiceSessionEvalsRouter } from "./voice-session-evals.js"
import { voiceSessionsRouter } from "./voice-sessions.js"

export const appRouter = router({
  health: healthRouter,
  callLogs: callLogsRouter,
  voiceSessions: voiceSessionsRouter,
  voiceOutcomes: voiceOutcomesRouter,
  voiceSessionEvals: voiceSessionEvalsRouter,
  automationEvals: automationEvalsRouter,
  admin: router({
    auth: adminAuthRouter,
    tenants: tenantsRouter,
    tenantCache: tenantCacheRouter,
    apiKeys: apiKeysRouter,
    agents: agentsRouter,
    agentVersions: agentVersionsRouter,
    phoneRoutes: phoneRoutesRouter,
    rollouts: rolloutsRouter,
    rolloutGovernance: rolloutGovernanceRouter,
    voiceDashboard: voiceDashboardRouter
  })
})

export type AppRouter = typeof appRouter
