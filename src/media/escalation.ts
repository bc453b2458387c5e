import { Effect } from "effect"
import { Twilio, type TwilioError } from "../../effects/Twilio.js"

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
const dialTarget = (target: string) => (/^sips?:/i.test(target) ? `<Sip>${xml(target)}</Sip>` : `<Number>${xml(target)}</Number>`)

export interface Transfer {
  readonly mode: "cold" | "warm"
  readonly target: string
  readonly conference?: string
  readonly human_call_sid?: string
}

/**
 * Cold: the call's TwiML becomes `<Dial>` (which ends the media stream). Warm: the caller is
 * moved into a conference and the human is dialled into the same room.
 */
export const transferCall = (tenantConfig: Readonly<Record<string, unknown>>, callSid: string, target: string, mode: "cold" | "warm") =>
  Effect.gen(function* () {
    const twilio = yield* Twilio
    const creds = twilio.credentialsFor(tenantConfig)
    if (!creds) return yield* Effect.fail("Twilio is not configured for this tenant")
    if (mode === "cold") {
      yield* twilio.updateCall(creds, callSid, { twiml: `<Response><Dial>${dialTarget(target)}</Dial></Response>` })
      return { mode, target } satisfies Transfer
    }
    const room = `escalation-${callSid}`
    const conference = `<Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="false">${xml(room)}</Conference></Dial>`
    yield* twilio.updateCall(creds, callSid, { twiml: `<Response><Say>Please hold while I connect you.</Say>${conference}</Response>` })
    const from = creds.fromNumber ?? creds.phoneNumbers[0]
    if (!from) return yield* Effect.fail("no Twilio number to dial the human from")
    const human = yield* twilio.createCall(creds, { to: target, from, twiml: `<Response>${conference}</Response>` })
    return { mode, target, conference: room, human_call_sid: human.sid } satisfies Transfer
  }).pipe(Effect.mapError((e: string | TwilioError) => (typeof e === "string" ? e : e.summary)))

/** Ends the phone call; closing the media socket alone would leave the caller on the line. */
export const hangUpCall = (tenantConfig: Readonly<Record<string, unknown>>, callSid: string, sayFirst?: string) =>
  Effect.gen(function* () {
    const twilio = yield* Twilio
    const creds = twilio.credentialsFor(tenantConfig)
    if (!creds) return false
    if (sayFirst) yield* twilio.updateCall(creds, callSid, { twiml: `<Response><Say>${xml(sayFirst)}</Say><Hangup/></Response>` })
    else yield* twilio.hangUp(creds, callSid)
    return true
  }).pipe(
    Effect.catchAll((e) => Effect.logWarning("hang-up through Twilio failed", { call_sid: callSid, error: e.summary }).pipe(Effect.as(false)))
  )
