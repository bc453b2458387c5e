import type { Envelope } from "./trpc.js"

/**
 * Operation-specific envelopes cover only the statuses the contract documents with them;
 * every other failure of those operations (401 from auth, 409, 429, …) uses the tenant
 * surface's `ErrorResponse`. One table, read by the server and by the document generator.
 */
const OWN_STATUSES: Partial<Record<Envelope, ReadonlyArray<number>>> = {
  automation: [400],
  make_call: [400, 500, 503],
  session_action: [400, 404],
  translation_call: [400, 401, 502, 503],
  function_test: [500]
}

export const envelopeForStatus = (envelope: Envelope, status: number): Envelope => {
  const own = OWN_STATUSES[envelope]
  return own === undefined || own.includes(status) ? envelope : "tenant"
}
