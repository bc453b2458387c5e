const E164 = /^\+[1-9]\d{7,14}$/

/** Strict E.164: `+`, a non-zero country-code digit, 8..15 digits in total, nothing else. */
export function isE164(s: string): boolean {
  return E164.test(s)
}

// Only the separators people actually type between digit groups; letters, slashes,
// "ext." suffixes and the like are rejected instead of silently dropped.
const HUMAN_FORM = /^\+[0-9 \t.()-]+$/

/**
 * Compacts a human-formatted international number ("+1 (415) 555-0100",
 * "+44 20.7946.0958") to E.164, or returns null. Leading/trailing whitespace is
 * ignored. The number must already start with `+`: we never guess a country code
 * from a national or `00`-prefixed number. Parentheses must be balanced and unnested.
 */
export function normalizeE164(s: string): string | null {
  const trimmed = s.trim()
  if (!HUMAN_FORM.test(trimmed) || !parenthesesBalanced(trimmed)) return null
  const compact = "+" + trimmed.slice(1).replace(/[^0-9]/g, "")
  return isE164(compact) ? compact : null
}

function parenthesesBalanced(s: string): boolean {
  let open = false
  for (const ch of s) {
    if (ch === "(") {
      if (open) return false
      open = true
    } else if (ch === ")") {
      if (!open) return false
      open = false
    }
  }
  return !open
}

/**
 * Masks a phone number for logs. Format: an optional leading `+` (kept if the input
 * starts with one), then one character per digit of the input where every digit is
 * `*` except the last four, e.g. "+14155550100" -> "+*******0100". Separators and any
 * other characters are dropped.
 *
 * At least four digits are always masked, so short inputs reveal fewer than four
 * (5 digits -> 1 visible, 4 or fewer -> none) and no input with more than 4 digits
 * is ever returned in full. Input without digits ("anonymous", "client:alice") yields
 * "***" so free text such as SIP identities never reaches the logs.
 */
export function maskPhone(s: string): string {
  const trimmed = s.trim()
  const digits = trimmed.replace(/[^0-9]/g, "")
  if (digits.length === 0) return "***"
  const visible = Math.min(4, Math.max(0, digits.length - 4))
  const masked = "*".repeat(digits.length - visible) + digits.slice(digits.length - visible)
  return (trimmed.startsWith("+") ? "+" : "") + masked
}
