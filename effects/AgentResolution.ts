import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { type AgentVersionConfig, normalizeAgentConfig, tenantDefaultConfig, withDefaults } from "../src/domain/agent-config.js"
import { chooseVersion, type ResolutionSource, type RolloutShare } from "../src/domain/rollout.js"
import { Agents } from "./Agents.js"
import { type AgentVersion, AgentVersions } from "./AgentVersions.js"
import { ValidationFailed } from "./errors.js"
import { type PhoneNumberRouteDirection, PhoneRoutes } from "./PhoneRoutes.js"
import { TenantCache } from "./TenantCache.js"

export interface ResolveAgentInput {
  readonly tenantId: string
  /** Seeds the rollout bucket: the same SID always resolves the same version. */
  readonly callSid: string
  readonly agentVersionId?: string | undefined
  readonly agentKey?: string | undefined
  /** The number whose route applies: the called number for inbound, the caller ID for outbound. */
  readonly phoneNumber?: string | undefined
  /** Direction of the route to look up; defaults to `inbound`. */
  readonly direction?: PhoneNumberRouteDirection | undefined
}

export interface ResolvedAgent {
  readonly source: ResolutionSource
  /** The selected agent (null when none was selected); set even when it has no usable version. */
  readonly agent_id: string | null
  readonly agent_key: string | null
  readonly agent_name: string | null
  readonly agent_version_id: string | null
  readonly version_number: number | null
  /** Route greeting, else the config's greeting. */
  readonly greeting: string | null
  /** The version's config with unset fields filled from the tenant defaults. */
  readonly config: AgentVersionConfig
}

interface SelectedAgent {
  readonly id: string
  readonly agent_key: string
  readonly name: string
}

/**
 * Chooses the agent version a call runs. Agent: the explicit version's agent, else the
 * `agentKey`'s agent, else the route's agent. Version (see `chooseVersion`): explicit
 * version > the route's pinned version (only when the route's agent is the selected agent)
 * > rollout split by call SID > published version > tenant defaults. An unknown explicit
 * version or agent key, or a version that is not of the named agent, is ValidationFailed
 * (a 400 for make-call); an unknown tenant is NotFound.
 */
export class AgentResolution extends Effect.Service<AgentResolution>()("AgentResolution", {
  accessors: true,
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* TenantCache
    const agents = yield* Agents
    const versions = yield* AgentVersions
    const routes = yield* PhoneRoutes

    const explicitVersion = (tenantId: string, id: string) =>
      versions.get(tenantId, id).pipe(
        Effect.catchTag("NotFound", () => Effect.fail(new ValidationFailed({ message: `unknown agent_version_id: ${id}` })))
      )

    const agentByKey = (tenantId: string, key: string) =>
      agents.findByKey(tenantId, key).pipe(
        Effect.flatMap((a) => (a ? Effect.succeed(a) : Effect.fail(new ValidationFailed({ message: `unknown agent_key: ${key}` }))))
      )

    const splitOf = (tenantId: string, agentId: string) =>
      Effect.all({
        rollouts: sql<RolloutShare>`SELECT agent_version_id, traffic_percentage FROM agent_version_rollouts
                                    WHERE tenant_id = ${tenantId} AND agent_id = ${agentId} ORDER BY position`,
        published: sql<{ id: string }>`SELECT id FROM agent_versions
                                       WHERE tenant_id = ${tenantId} AND agent_id = ${agentId} AND status = 'published'`
      }).pipe(Effect.orDie)

    const resolve = (input: ResolveAgentInput) =>
      Effect.gen(function* () {
        const { tenantId } = input
        const tenant = yield* cache.get(tenantId)
        const explicit = input.agentVersionId ? yield* explicitVersion(tenantId, input.agentVersionId) : undefined
        const keyed = input.agentKey ? yield* agentByKey(tenantId, input.agentKey) : undefined
        if (explicit && keyed && explicit.agent_id !== keyed.id) {
          return yield* Effect.fail(new ValidationFailed({ message: `agent_version_id ${explicit.id} is not a version of agent_key ${keyed.agent_key}` }))
        }
        const route = input.phoneNumber ? yield* routes.find(tenantId, input.phoneNumber, input.direction ?? "inbound") : undefined

        const agent: SelectedAgent | undefined = explicit
          ? { id: explicit.agent_id, agent_key: explicit.agent_key, name: explicit.agent_name }
          : keyed ?? (route ? { id: route.agent_id, agent_key: route.agent_key, name: route.agent_name } : undefined)
        const applied = route && agent && route.agent_id === agent.id ? route : undefined
        // The split only matters below an explicit or pinned version; skip the queries then.
        const needsSplit = agent && !explicit && !applied?.agent_version_id
        const split = needsSplit ? yield* splitOf(tenantId, agent.id) : { rollouts: [], published: [] }

        const choice = chooseVersion({
          callSid: input.callSid,
          explicitVersionId: explicit?.id ?? null,
          routeVersionId: applied?.agent_version_id ?? null,
          rollouts: split.rollouts,
          publishedVersionId: split.published[0]?.id ?? null
        })
        const version: AgentVersion | undefined =
          choice.versionId === null ? undefined : choice.versionId === explicit?.id ? explicit : yield* versions.get(tenantId, choice.versionId).pipe(Effect.orDie)

        const config = withDefaults(version?.config ?? normalizeAgentConfig({}), tenantDefaultConfig(tenant.config))
        return {
          source: choice.source,
          agent_id: agent?.id ?? null,
          agent_key: agent?.agent_key ?? null,
          agent_name: agent?.name ?? null,
          agent_version_id: version?.id ?? null,
          version_number: version?.version_number ?? null,
          greeting: applied?.greeting ?? config.greeting,
          config
        } satisfies ResolvedAgent
      })

    return { resolve } as const
  }),
  dependencies: [TenantCache.Default, Agents.Default, AgentVersions.Default, PhoneRoutes.Default]
}) {}
