import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { normalizeE164 } from "../src/domain/e164.js"
import { sha256Hex } from "../src/domain/secrets.js"
import { isValidTwilioSignature, publicWebhookUrl, signedParamsOf } from "../src/domain/twilio-signature.js"
import { AppConfig } from "./AppConfig.js"
import { Unauthorized } from "./errors.js"
import type { PhoneNumberRouteDirection } from "./PhoneRoutes.js"
import { PhoneRoutes } from "./PhoneRoutes.js"
import { StreamTokens } from "./StreamTokens.js"
import { type CachedTenant, TenantCache } from "./TenantCache.js"
import { Twilio, type TwilioCredentials } from "./Twilio.js"
import { WebhookDiagnostics } from "./WebhookDiagnostics.js"

export interface WebhookRequest {
  /** Path and query as requested: with PUBLIC_BASE_URL, the URL Twilio signed. */
  readonly pathAndQuery: string
  readonly signature: string | undefined
  readonly form: URLSearchParams
  /** Our side of the call: the called number inbound, the caller ID outbound. */
  readonly ourNumber: string | undefined
  readonly direction: PhoneNumberRouteDirection
}

export interface WebhookTenant {
  readonly tenantId: string
  readonly config: Record<string, unknown>
  readonly credentials: TwilioCredentials | undefined
}

/** The query parameter carrying a signed tenant hint in the webhook URLs we give Twilio. */
export const TENANT_HINT_PARAM = "th"

const rejected = (message: string) => new Unauthorized({ message })

/**
 * Which tenant a Twilio webhook belongs to, proven by its `X-Twilio-Signature`: an explicit
 * signed tenant hint in the URL, else the number → tenant hint cache, else candidates (the
 * phone route of our number, tenants whose Twilio config lists the number or the account)
 * until one tenant's auth token verifies the signature. A tenant with no auth token
 * configured cannot be verified, and is accepted unsigned (the contract's "when configured").
 */
export class WebhookTenants extends Effect.Service<WebhookTenants>()("WebhookTenants", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const sql = yield* SqlClient.SqlClient
    const diag = yield* WebhookDiagnostics
    const tenants = yield* TenantCache
    const routes = yield* PhoneRoutes
    const tokens = yield* StreamTokens
    const twilio = yield* Twilio

    // Fingerprints of auth tokens, so a cache entry notices a rotated token without keeping it.
    const fingerprints = new Map<string, string>()
    const fingerprintOf = (token: string) => {
      let f = fingerprints.get(token)
      if (f === undefined) {
        if (fingerprints.size >= 10_000) fingerprints.clear()
        f = sha256Hex(token).slice(0, 16)
        fingerprints.set(token, f)
      }
      return f
    }

    const check = (tenant: CachedTenant, req: WebhookRequest, url: string) => {
      const credentials = twilio.credentialsFor(tenant.config)
      const token = credentials?.authToken
      const fingerprint = token ? fingerprintOf(token) : "none"
      const valid = token === undefined || isValidTwilioSignature(token, req.signature, url, signedParamsOf(req.form))
      return { valid, fingerprint, found: { tenantId: tenant.tenantId, config: tenant.config, credentials } satisfies WebhookTenant }
    }

    const load = (tenantId: string) => tenants.get(tenantId).pipe(Effect.option)

    const candidatesFor = (number: string | undefined, accountSid: string | undefined, direction: PhoneNumberRouteDirection) =>
      Effect.gen(function* () {
        const routed = number ? yield* routes.findTenantByNumber(number, direction) : undefined
        const configured =
          number || accountSid
            ? yield* sql<{ tenant_id: string }>`SELECT tenant_id FROM tenants
                WHERE config->'twilio'->>'account_sid' = ${accountSid ?? ""}
                   OR config->'twilio'->>'from_number' = ${number ?? ""}
                   OR coalesce(config->'twilio'->'phone_numbers', '[]'::jsonb) @> ${JSON.stringify([number ?? ""])}::jsonb
                ORDER BY tenant_id LIMIT 20`.pipe(Effect.orDie)
            : []
        return [...new Set([...(routed ? [routed] : []), ...configured.map((r) => r.tenant_id)])]
      })

    // No span here or on the incoming-call path: a span copies the whole service context
    // (Context.add), which measurably costs the busiest webhook we serve.
    const resolve = (req: WebhookRequest): Effect.Effect<WebhookTenant, Unauthorized> =>
      Effect.gen(function* () {
        diag.bump("requests_total")
        const url = publicWebhookUrl(config.publicBaseUrl, req.pathAndQuery)
        const fail = (message: string) => {
          diag.bump("failures_total")
          return Effect.fail(rejected(message))
        }
        const succeed = (t: WebhookTenant) => {
          diag.bump("successes_total")
          return Effect.succeed(t)
        }

        const hint = req.pathAndQuery.includes(`${TENANT_HINT_PARAM}=`) ? new URL(url).searchParams.get(TENANT_HINT_PARAM) : null
        if (hint) {
          const named = tokens.readTenantHint(hint)
          const tenant = named.ok ? yield* load(named.claims.tenant_id) : undefined
          if (tenant?._tag === "Some") {
            const c = check(tenant.value, req, url)
            if (!c.valid) return yield* fail("invalid Twilio signature")
            diag.bump("explicit_token_success")
            return yield* succeed(c.found)
          }
          // A hint signed with a retired secret, or for a deleted tenant: resolve as if absent.
          diag.bump("explicit_token_invalid")
        }

        const number = req.ourNumber ? (normalizeE164(req.ourNumber) ?? req.ourNumber) : undefined
        const cacheKey = number ? `${req.direction}:${number}` : undefined
        const cached = cacheKey ? diag.lookup(cacheKey) : undefined
        if (cached && cacheKey) {
          const tenant = yield* load(cached.tenantId)
          if (tenant._tag === "Some") {
            const c = check(tenant.value, req, url)
            if (c.fingerprint !== cached.tokenFingerprint) diag.bump("hint_cache_stale_token")
            else if (c.valid) return yield* succeed(c.found)
            else diag.bump("hint_cache_signature_mismatch")
          }
          diag.forget(cacheKey)
        }

        const candidates = yield* candidatesFor(number, req.form.get("AccountSid") ?? undefined, req.direction)
        for (const tenantId of candidates) {
          const tenant = yield* load(tenantId)
          if (tenant._tag === "None") {
            diag.bump("signature_lookup_tenant_load_error")
            continue
          }
          diag.bump("signature_lookup_candidates_evaluated_total")
          const c = check(tenant.value, req, url)
          if (!c.valid) continue
          diag.bump("signature_lookup_success")
          if (cacheKey) diag.remember(cacheKey, tenantId, c.fingerprint)
          return yield* succeed(c.found)
        }
        diag.bump("signature_lookup_not_found")
        return yield* fail(candidates.length > 0 ? "invalid Twilio signature" : `no tenant found for ${number ?? "this request"}`)
      })

    return { resolve } as const
  }),
  dependencies: [WebhookDiagnostics.Default, TenantCache.Default, PhoneRoutes.Default, StreamTokens.Default, Twilio.Default]
}) {}
