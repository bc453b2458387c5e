import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { constantTimeEqual, generateApiKeyToken, sha256Hex } from "../../src/domain/secrets.js"

describe("sha256Hex", () => {
  test("known answers", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  })

  test.prop([fc.string({ unit: "binary" })])("hashes the UTF-8 bytes to 64 lowercase hex chars", (s) => {
    const out = sha256Hex(s)
    expect(out).toMatch(/^[0-9a-f]{64}$/)
    expect(out).toBe(createHash("sha256").update(Buffer.from(s, "utf8")).digest("hex"))
  })
})

describe("constantTimeEqual", () => {
  test.prop([fc.string({ unit: "binary" }), fc.string({ unit: "binary" })])("agrees with ===", (a, b) => {
    expect(constantTimeEqual(a, b)).toBe(a === b)
  })

  test.prop([fc.string({ unit: "binary" })])("is reflexive", (a) => {
    expect(constantTimeEqual(a, a)).toBe(true)
  })

  test.prop([fc.string({ minLength: 1 }), fc.nat()])("detects a single changed or missing character", (a, at) => {
    const i = at % a.length
    const flipped = a.slice(0, i) + String.fromCharCode(a.charCodeAt(i) ^ 1) + a.slice(i + 1)
    expect(constantTimeEqual(a, flipped)).toBe(false)
    expect(constantTimeEqual(a, a.slice(0, -1))).toBe(false)
    expect(constantTimeEqual(a, a + "\0")).toBe(false)
  })

  test("examples with different lengths do not throw", () => {
    expect(constantTimeEqual("vk_short", "vk_a_much_longer_token_value")).toBe(false)
    expect(constantTimeEqual("", "")).toBe(true)
  })
})

describe("generateApiKeyToken", () => {
  test("format: vk_ + 43 base64url chars, prefix is the first 11 characters", () => {
    const { token, prefix } = generateApiKeyToken()
    expect(token).toMatch(/^vk_[A-Za-z0-9_-]{43}$/)
    expect(prefix).toHaveLength(11)
    expect(prefix).toMatch(/^vk_[A-Za-z0-9_-]{8}$/)
    expect(token.startsWith(prefix)).toBe(true)
    // 43 base64url chars carry exactly 32 bytes.
    expect(Buffer.from(token.slice(3), "base64url")).toHaveLength(32)
  })

  test("1000 tokens are all distinct, and so are their prefixes in practice", () => {
    const tokens = Array.from({ length: 1000 }, generateApiKeyToken)
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1000)
    // 48 random bits per prefix: a collision among 1000 has probability ~2e-9.
    expect(new Set(tokens.map((t) => t.prefix)).size).toBe(1000)
    for (const { token, prefix } of tokens) expect(token.slice(0, 11)).toBe(prefix)
  })
})
