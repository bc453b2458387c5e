import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

/** Lowercase hex SHA-256 of the UTF-8 bytes of `s`. */
export function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex")
}

/**
 * String equality whose running time depends on neither the contents nor the lengths.
 * timingSafeEqual needs equal-length buffers (and throws otherwise, which itself leaks
 * the length), so both sides are hashed to 32 bytes first. A SHA-256 collision is the
 * only way two different strings could compare equal.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest()
  const hb = createHash("sha256").update(b, "utf8").digest()
  return timingSafeEqual(ha, hb)
}

export const API_KEY_PREFIX = "vk_"
// "vk_" plus 8 characters: enough to find the key row by index, far too little to guess the rest.
const LOOKUP_PREFIX_LENGTH = API_KEY_PREFIX.length + 8

/**
 * New API key: `vk_` + base64url (no padding) of 32 random bytes = 46 characters.
 * `prefix` (first 11 characters) is safe to store and display in clear for lookup;
 * store only sha256Hex(token) for the rest.
 */
export function generateApiKeyToken(): { token: string; prefix: string } {
  const token = API_KEY_PREFIX + randomBytes(32).toString("base64url")
  return { token, prefix: token.slice(0, LOOKUP_PREFIX_LENGTH) }
}
