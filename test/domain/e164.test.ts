import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { isE164, maskPhone, normalizeE164 } from "../../src/domain/e164.js"

const e164 = fc.stringMatching(/^\+[1-9]\d{7,14}$/)
const digitsOf = (s: string) => s.replace(/[^0-9]/g, "")
// Random strings rarely look like phone numbers; this alphabet makes near misses common.
const phoneish = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom("+", "0", "1", "4", "9", " ", "-", ".", "(", ")", "a", "\n"), maxLength: 22 }),
)

// Renders an E.164 number the way humans write it: random groups, separators, and
// optionally the first group in parentheses.
const formatted = fc
  .tuple(e164, fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }), fc.constantFrom(" ", "-", ".", " - ", "\t"), fc.boolean(), fc.constantFrom("", " ", "  "))
  .map(([n, cuts, sep, parens, pad]) => {
    const digits = n.slice(1)
    const groups: string[] = []
    let current = ""
    for (let i = 0; i < digits.length; i++) {
      current += digits[i]
      if (cuts[i] === true && i < digits.length - 1) {
        groups.push(current)
        current = ""
      }
    }
    groups.push(current)
    if (parens && groups.length > 1) groups[0] = `(${groups[0]})`
    return { n, text: `${pad}+${groups.join(sep)}${pad}` }
  })

describe("isE164", () => {
  test.prop([e164])("accepts + and 8-15 digits without a leading zero", (n) => {
    expect(isE164(n)).toBe(true)
  })

  test.prop([phoneish])("agrees with a hand-written oracle", (s) => {
    const digits = s.slice(1)
    const oracle = s.startsWith("+") && digits.length >= 8 && digits.length <= 15 && digits[0] !== "0" && [...digits].every((c) => c >= "0" && c <= "9")
    expect(isE164(s)).toBe(oracle)
  })

  test("examples", () => {
    expect(isE164("+14155550100")).toBe(true)
    expect(isE164("+1234567")).toBe(false)
    expect(isE164("+12345678")).toBe(true)
    expect(isE164("+123456789012345")).toBe(true)
    expect(isE164("+1234567890123456")).toBe(false)
    expect(isE164("+04155550100")).toBe(false)
    expect(isE164("14155550100")).toBe(false)
    expect(isE164("+14155550100\n")).toBe(false)
    expect(isE164("+١٤١٥٥٥٥٠١٠٠")).toBe(false)
  })
})

describe("normalizeE164", () => {
  test.prop([formatted])("compacts human formatting back to the E.164 number", ({ n, text }) => {
    expect(normalizeE164(text)).toBe(n)
  })

  test.prop([phoneish])("returns null or a valid E.164 number with the same digits", (s) => {
    const out = normalizeE164(s)
    if (out !== null) {
      expect(isE164(out)).toBe(true)
      expect(digitsOf(out)).toBe(digitsOf(s))
      expect(normalizeE164(out)).toBe(out)
    }
  })

  test.prop([phoneish.filter((s) => !s.trim().startsWith("+"))])("never guesses a country code", (s) => {
    expect(normalizeE164(s)).toBeNull()
  })

  test("examples", () => {
    expect(normalizeE164("+1 (415) 555-0100")).toBe("+14155550100")
    expect(normalizeE164(" +44 20.7946.0958 ")).toBe("+442079460958")
    expect(normalizeE164("+14155550100")).toBe("+14155550100")
    expect(normalizeE164("(415) 555-0100")).toBeNull()
    expect(normalizeE164("004420 7946 0958")).toBeNull()
    expect(normalizeE164("+1 (415 555 0100")).toBeNull()
    expect(normalizeE164("+1 415) 555 (0100")).toBeNull()
    expect(normalizeE164("+1 ((415)) 555 0100")).toBeNull()
    expect(normalizeE164("+1 415 555 0100 ext 2")).toBeNull()
    expect(normalizeE164("+1/415/555/0100")).toBeNull()
    expect(normalizeE164("+0 415 555 0100")).toBeNull()
    expect(normalizeE164("+1 2")).toBeNull()
  })
})

describe("maskPhone", () => {
  test.prop([e164])("keeps + and the last 4 digits, stars the rest", (n) => {
    const out = maskPhone(n)
    expect(out).toHaveLength(n.length)
    expect(out.startsWith("+")).toBe(true)
    expect(out.slice(-4)).toBe(n.slice(-4))
    expect(out.slice(1, -4)).toBe("*".repeat(n.length - 5))
    expect(out).not.toBe(n)
  })

  test.prop([fc.oneof(phoneish, formatted.map((f) => f.text))])("never reveals more than the last 4 digits", (s) => {
    const out = maskPhone(s)
    expect(out).toMatch(/^\+?\**[0-9]{0,4}$/)
    const shown = digitsOf(out)
    const all = digitsOf(s)
    expect(all.endsWith(shown)).toBe(true)
    // At least four digits stay hidden, so any number longer than 6 digits is never returned whole.
    expect(all.length - shown.length).toBeGreaterThanOrEqual(Math.min(4, all.length))
    if (all.length > 6) expect(shown.length).toBeLessThan(all.length)
  })

  test("examples", () => {
    expect(maskPhone("+14155550100")).toBe("+*******0100")
    expect(maskPhone("+1 (415) 555-0100")).toBe("+*******0100")
    expect(maskPhone("4155550100")).toBe("******0100")
    expect(maskPhone("12345")).toBe("****5")
    expect(maskPhone("1234")).toBe("****")
    expect(maskPhone("anonymous")).toBe("***")
    expect(maskPhone("")).toBe("***")
  })
})
