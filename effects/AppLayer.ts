import { Layer, ManagedRuntime } from "effect"
import { AdminAuth } from "./AdminAuth.js"
import { AgentResolution } from "./AgentResolution.js"
import { Agents } from "./Agents.js"
import { AgentVersions } from "./AgentVersions.js"
import { ApiKeys } from "./ApiKeys.js"
import { AppConfig } from "./AppConfig.js"
import { CallAnalytics } from "./CallAnalytics.js"
import { CallAnalyticsRepo } from "./CallAnalyticsRepo.js"
import { CallLogs } from "./CallLogs.js"
import { CallLogsRepo } from "./CallLogsRepo.js"
import { DatabaseLive } from "./Database.js"
import { FinalCallLogRepo } from "./FinalCallLogRepo.js"
import { Health } from "./Health.js"
import { LiveCalls } from "./LiveCalls.js"
import { LogStream } from "./LogStream.js"
import { LoginThrottle } from "./LoginThrottle.js"
import { PendingRecords } from "./PendingRecords.js"
import { PhoneRoutes } from "./PhoneRoutes.js"
import { RateLimiter } from "./RateLimiter.js"
import { RealtimeModel } from "./RealtimeModel.js"
import { RolloutGovernance } from "./RolloutGovernance.js"
import { RolloutPolicies } from "./RolloutPolicies.js"
import { Rollouts } from "./Rollouts.js"
import { StreamAuth } from "./StreamAuth.js"
import { StreamTokens } from "./StreamTokens.js"
import { SupervisorActions } from "./SupervisorActions.js"
import { TenantAuth } from "./TenantAuth.js"
import { TenantCache } from "./TenantCache.js"
import { Tenants } from "./Tenants.js"
import { TenantsRepo } from "./TenantsRepo.js"
import { ToolRegistry } from "./ToolRegistry.js"
import { Twilio } from "./Twilio.js"
import { CallProgress } from "./CallProgress.js"
import { CallWebhooks } from "./CallWebhooks.js"
import { Idempotency } from "./Idempotency.js"
import { InboundCallRecords } from "./InboundCallRecords.js"
import { MakeCall } from "./MakeCall.js"
import { OutboundDialer } from "./OutboundDialer.js"
import { TranslationCalls } from "./TranslationCalls.js"
import { TwilioSandbox } from "./TwilioSandbox.js"
import { WebhookDiagnostics } from "./WebhookDiagnostics.js"
import { WebhookTenants } from "./WebhookTenants.js"
import { VoiceDashboard } from "./VoiceDashboard.js"
import { VoiceOutcomes } from "./VoiceOutcomes.js"
import { VoiceOutcomesRepo } from "./VoiceOutcomesRepo.js"
import { VoiceSessionEvals } from "./VoiceSessionEvals.js"
import { VoiceSessionEvalsRepo } from "./VoiceSessionEvalsRepo.js"
import { VoiceSessions } from "./VoiceSessions.js"
import { VoiceSessionsRepo } from "./VoiceSessionsRepo.js"

/** Every service a procedure may use, built once over config + database. */
export const ServicesLayer = Layer.mergeAll(
  Tenants.Default,
  TenantCache.Default,
  TenantsRepo.Default,
  ApiKeys.Default,
  TenantAuth.Default,
  AdminAuth.Default,
  LoginThrottle.Default,
  RateLimiter.Default,
  StreamAuth.Default,
  Health.Default,
  Agents.Default,
  AgentVersions.Default,
  PhoneRoutes.Default,
  Rollouts.Default,
  RolloutPolicies.Default,
  AgentResolution.Default,
  VoiceDashboard.Default,
  CallLogs.Default,
  CallLogsRepo.Default,
  FinalCallLogRepo.Default,
  CallAnalytics.Default,
  CallAnalyticsRepo.Default,
  VoiceOutcomes.Default,
  VoiceOutcomesRepo.Default,
  VoiceSessions.Default,
  VoiceSessionsRepo.Default,
  VoiceSessionEvals.Default,
  VoiceSessionEvalsRepo.Default,
  RolloutGovernance.Default,
  RealtimeModel.Default,
  LiveCalls.Default,
  LogStream.Default,
  ToolRegistry.Default,
  SupervisorActions.Default,
  PendingRecords.Default,
  Twilio.Default,
  StreamTokens.Default,
  TwilioSandbox.Default,
  WebhookDiagnostics.Default,
  WebhookTenants.Default,
  CallProgress.Default,
  InboundCallRecords.Default,
  CallWebhooks.Default,
  Idempotency.Default,
  OutboundDialer.Default,
  MakeCall.Default,
  TranslationCalls.Default
)

export const makeAppLayer = () => {
  const base = Layer.provideMerge(DatabaseLive, AppConfig.layer)
  return Layer.provideMerge(ServicesLayer, base)
}

export type AppServices = Layer.Layer.Success<ReturnType<typeof makeAppLayer>>
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, unknown>
