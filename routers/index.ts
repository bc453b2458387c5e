import { escalationRouter } from "./automations-escalation.js"
import { logsRouter } from "./logs.js"
import { sessionsRouter } from "./sessions.js"
import { supervisorActionsRouter } from "./supervisor-actions.js"
import { toolsRouter } from "./tools.js"
import { adminAuthRouter } from "./admin/auth.js"
import { agentVersionsRouter } from "./admin/agent-versions.js"
import { agentsRouter } from "./admin/agents.js"
import { apiKeysRouter } from "./admin/api-keys.js"
import { phoneRoutesRouter } from "./admin/phone-routes.js"
import { rolloutGovernanceRouter } from "./admin/rollout-governance.js"
import { rolloutsRouter } from "./admin/rollouts.js"
import { tenantCacheRouter } from "./admin/tenant-cache.js"
import { tenantsRouter } from "./admin/tenants.js"
import { twilioDiagnosticsRouter } from "./admin/twilio-diagnostics.js"
import { voiceDashboardRouter } from "./admin/voice-dashboard.js"
import { automationEvalsRouter } from "./automation-evals.js"
import { callLogsRouter } from "./call-logs.js"
import { callsRouter } from "./calls.js"
import { healthRouter } from "./health.js"
import { router } from "./trpc.js"
import { voiceOutcomesRouter } from "./voice-outcomes.js"
import { voiceSessionEvalsRouter } from "./voice-session-evals.js"
import { voiceSessionsRouter } from "./voice-sessions.js"
import { webhooksRouter } from "./webhooks.js"

export const appRouter = router({
  health: healthRouter,
  sessions: sessionsRouter,
  supervisorActions: supervisorActionsRouter,
  escalation: escalationRouter,
  tools: toolsRouter,
  logs: logsRouter,
  calls: callsRouter,
  webhooks: webhooksRouter,
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
    voiceDashboard: voiceDashboardRouter,
    twilioDiagnostics: twilioDiagnosticsRouter
  })
})

export type AppRouter = typeof appRouter
