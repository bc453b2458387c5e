/**
 * Just enough TwiML reading for the sandbox to act on an answer like Twilio does: the verbs in
 * order, with their attributes, text and nested `<Parameter>`s. Not a general XML parser —
 * TwiML is flat, attribute-quoted and machine-written.
 */

export interface TwimlVerb {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly text: string
  readonly children: ReadonlyArray<TwimlVerb>
}

const decode = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const lower = e.toLowerCase()
    if (lower === "lt") return "<"
    if (lower === "gt") return ">"
    if (lower === "quot") return '"'
    if (lower === "apos") return "'"
    if (lower === "amp") return "&"
    return String.fromCodePoint(lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10))
  })

const TOKEN = /<\?[^>]*\?>|<!--[\s\S]*?-->|<\/\s*([A-Za-z][\w:-]*)\s*>|<([A-Za-z][\w:-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g
const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

interface Building {
  name: string
  attributes: Record<string, string>
  text: string
  children: Array<TwimlVerb>
}

/** The children of `<Response>`; throws on markup it cannot balance. */
export const parseTwiml = (xml: string): ReadonlyArray<TwimlVerb> => {
  const root: Building = { name: "#root", attributes: {}, text: "", children: [] }
  const stack: Array<Building> = [root]
  for (const m of xml.matchAll(TOKEN)) {
    const [, closing, opening, attrs, selfClosing, text] = m
    const top = stack[stack.length - 1]!
    if (text !== undefined) {
      top.text += decode(text)
    } else if (opening !== undefined) {
      const attributes: Record<string, string> = {}
      for (const a of (attrs ?? "").matchAll(ATTR)) setOwn(attributes, a[1]!, decode(a[2] ?? a[3] ?? ""))
      const node: Building = { name: opening, attributes, text: "", children: [] }
      if (selfClosing) top.children.push(freeze(node))
      else stack.push(node)
    } else if (closing !== undefined) {
      const node = stack.pop()
      if (!node || node.name !== closing || stack.length === 0) throw new Error(`unbalanced TwiML at </${closing}>`)
      stack[stack.length - 1]!.children.push(freeze(node))
    }
  }
  if (stack.length !== 1) throw new Error("unterminated TwiML")
  const response = root.children.find((c) => c.name === "Response")
  if (!response) throw new Error("TwiML has no <Response>")
  return response.children
}

// defineProperty: a "__proto__" attribute or parameter name stays an ordinary key.
const setOwn = (o: Record<string, string>, k: string, v: string) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })

const freeze = (b: Building): TwimlVerb => ({ name: b.name, attributes: b.attributes, text: b.text.trim(), children: b.children })

/** `<Connect><Stream url>` with its `<Parameter>`s, if the answer has one. */
export const streamOf = (verbs: ReadonlyArray<TwimlVerb>): { url: string; parameters: Record<string, string> } | undefined => {
  for (const verb of verbs) {
    if (verb.name !== "Connect") continue
    const stream = verb.children.find((c) => c.name === "Stream")
    if (!stream?.attributes.url) continue
    const parameters: Record<string, string> = {}
    for (const p of stream.children) if (p.name === "Parameter" && p.attributes.name) setOwn(parameters, p.attributes.name, p.attributes.value ?? "")
    return { url: stream.attributes.url, parameters }
  }
  return undefined
}
