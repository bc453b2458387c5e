import { createHash } from "node:crypto"

/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit order at every depth,
 * array order kept. Everything else follows JSON.stringify (toJSON, boxed primitives,
 * non-finite numbers -> null, undefined/function/symbol members dropped from objects
 * and written as null inside arrays) so a document round-trips through the database
 * and still hashes to the same ETag.
 *
 * Throws TypeError for a top-level value JSON cannot represent (undefined, function,
 * symbol), for bigint and for cycles: an ETag for such a value would be meaningless.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, "", new Set<object>())
  if (out === undefined) throw new TypeError("canonicalJson: value is not JSON-serializable")
  return out
}

function write(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input
  if (value !== null && typeof value === "object") {
    const toJSON: unknown = Reflect.get(value, "toJSON")
    if (typeof toJSON === "function") value = Reflect.apply(toJSON, value, [key])
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    value = value.valueOf()
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null"
    case "bigint":
      throw new TypeError("canonicalJson: bigint is not JSON-serializable")
    case "undefined":
    case "function":
    case "symbol":
      return undefined
  }
  if (value === null) return "null"
  const obj = value as object
  if (ancestors.has(obj)) throw new TypeError("canonicalJson: cyclic structure")
  ancestors.add(obj)
  try {
    if (Array.isArray(obj)) {
      const items = obj.map((item, i) => write(item, String(i), ancestors) ?? "null")
      return `[${items.join(",")}]`
    }
    const members: string[] = []
    // Default sort compares UTF-16 code units, which is locale-independent and stable.
    for (const k of Object.keys(obj).sort()) {
      const v = write((obj as Record<string, unknown>)[k], k, ancestors)
      if (v !== undefined) members.push(`${JSON.stringify(k)}:${v}`)
    }
    return `{${members.join(",")}}`
  } finally {
    // Only ancestors count as cycles; the same object may legitimately appear twice.
    ancestors.delete(obj)
  }
}

/** First 32 lowercase hex chars (128 bits) of SHA-256 over the canonical JSON. */
export function etagOf(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex").slice(0, 32)
}

/**
 * If-Match check. `etag` is the current ETag of an existing resource (bare, quoted or
 * weak form all accepted). Comparison is deliberately weak (W/ prefix ignored): our
 * ETags are content hashes, so a weak tag a proxy rewrote still names the same bytes.
 *
 * An absent or empty header returns false: callers decide whether a missing If-Match
 * means "unconditional" or "428 Precondition Required" before calling this.
 */
export function matchesIfMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  const current = opaque(etag.trim())
  if (current === "") return false
  return parseEntityTags(header).some((tag) => tag === WILDCARD || tag === current)
}

// A unique marker so that a quoted "*" (an ordinary opaque tag) is not mistaken for the wildcard.
const WILDCARD = Symbol("wildcard")

function opaque(tag: string): string {
  const t = tag.startsWith("W/") ? tag.slice(2) : tag
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t
}

/** Tokenizes a comma-separated entity-tag list; quoted tags may legally contain commas. */
function parseEntityTags(header: string): Array<string | typeof WILDCARD> {
  const tags: Array<string | typeof WILDCARD> = []
  let i = 0
  while (i < header.length) {
    const ch = header[i]
    if (ch === "," || ch === " " || ch === "\t") {
      i++
      continue
    }
    const weak = header.startsWith('W/"', i)
    if (weak || ch === '"') {
      const start = i + (weak ? 3 : 1)
      const end = header.indexOf('"', start)
      if (end === -1) {
        // Unterminated quote: treat the rest as the tag rather than rejecting the header.
        tags.push(header.slice(start).trim())
        break
      }
      tags.push(header.slice(start, end))
      i = end + 1
      continue
    }
    let end = header.indexOf(",", i)
    if (end === -1) end = header.length
    const bare = header.slice(i, end).trim()
    tags.push(bare === "*" ? WILDCARD : bare)
    i = end
  }
  return tags.filter((t) => t !== "")
}
