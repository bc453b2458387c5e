/**
 * The TwiML that connects a call to our media stream. Written by hand rather than with the
 * SDK's builder: it is one fixed shape, and the builder costs ~0.2 ms per answer on the
 * busiest webhook we serve.
 */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }

// Characters XML 1.0 cannot carry at all (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export const escapeXmlAttribute = (s: string): string => s.replace(INVALID_XML, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)

/** `wss://host/media-stream` for an https base, `ws://` for a plain-http (local) one. */
export const mediaStreamUrlOf = (publicBaseUrl: string): string => `${publicBaseUrl.replace(/\/+$/, "").replace(/^http/i, "ws")}/media-stream`

/**
 * `<Connect><Stream>` with one `<Parameter>` per defined value: Twilio does not deliver the
 * stream URL's query string reliably, so everything the runtime needs travels as parameters
 * (they arrive in `start.customParameters`).
 */
export const connectStreamTwiml = (streamUrl: string, parameters: Readonly<Record<string, string | null | undefined>>): string => {
  let params = ""
  for (const [name, value] of Object.entries(parameters)) {
    if (value === null || value === undefined) continue
    params += `<Parameter name="${escapeXmlAttribute(name)}" value="${escapeXmlAttribute(value)}"/>`
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${escapeXmlAttribute(streamUrl)}">${params}</Stream></Connect></Response>`
}
