import { Effect } from "effect"
import { AppConfig } from "./AppConfig.js"
import { CallLogs } from "./CallLogs.js"
import { StreamTokens } from "./StreamTokens.js"
import { Twilio, type TwilioCredentials, type TwilioError } from "./Twilio.js"
import { TENANT_HINT_PARAM } from "./WebhookTenants.js"

export interface DialRequest {
  readonly tenantId: string
  /** The call log written before dialling; Twilio's callbacks carry it back. */
  readonly callLogId: string
  readonly to: string
  readonly from: string
  /** Context for the TwiML answer (agent, greeting, translation room…), carried in the voice URL. */
  readonly context: Readonly<Record<string, string | null | undefined>>
}

const STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]

/**
 * Places one outbound leg: Twilio fetches TwiML from our `/api/v1/outbound-call` when the callee
 * answers (so the stream token is minted then, not minutes earlier), posts status callbacks for
 * every progress event, and reports asynchronous answering-machine detection to `/call-status`.
 * Our URLs carry a signed tenant hint and the call log id: the callbacks can arrive before
 * Twilio's answer tells us the call SID.
 */
export class OutboundDialer extends Effect.Service<OutboundDialer>()("OutboundDialer", {
  accessors: true,
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const twilio = yield* Twilio
    const tokens = yield* StreamTokens
    const logs = yield* CallLogs

    const urlOf = (path: string, params: Record<string, string | null | undefined>) => {
      const q = new URLSearchParams()
      for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v)
      return `${config.publicBaseUrl}${path}?${q.toString()}`
    }

    const dial = (creds: TwilioCredentials, req: DialRequest) => {
      const ids = { [TENANT_HINT_PARAM]: tokens.tenantHint(req.tenantId), call_log_id: req.callLogId }
      const statusCallback = urlOf("/api/v1/call-status", ids)
      return twilio.createCall(creds, {
        to: req.to,
        from: req.from,
        url: urlOf("/api/v1/outbound-call", { ...ids, ...req.context }),
        method: "POST",
        statusCallback,
        statusCallbackMethod: "POST",
        statusCallbackEvent: STATUS_EVENTS,
        machineDetection: "DetectMessageEnd",
        asyncAmd: "true",
        asyncAmdStatusCallback: statusCallback,
        asyncAmdStatusCallbackMethod: "POST"
      })
    }

    /**
     * Writes what went wrong on the call record. A refusal is final (failed, ended now); after a
     * timeout or a 5xx the call may exist anyway, so the record stays queued for its callbacks.
     */
    const recordFailure = (tenantId: string, callLogId: string, e: TwilioError) =>
      logs
        .update(
          tenantId,
          callLogId,
          e.notAccepted
            ? { status: "failed", outcome: "failed", ended_at: new Date(), duration_seconds: 0, error_message: e.summary }
            : { error_message: `${e.summary}; the call may still have been placed — its status callbacks will update this record` }
        )
        .pipe(Effect.orDie, Effect.asVoid)

    return { dial, recordFailure } as const
  }),
  dependencies: [Twilio.Default, StreamTokens.Default, CallLogs.Default]
}) {}
