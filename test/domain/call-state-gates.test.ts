import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { onDncList, outboundGate, withinCallingHours } from "../../src/domain/calling-policy.js"

// 2025-01-15 is a Wednesday.
const at = (iso: string) => new Date(iso)

describe("outbound gates", () => {
  test("do-not-call numbers match in any human form", () => {
    expect(onDncList(["+1 (415) 555-0100"], "+14155550100")).toBe(true)
    expect(onDncList(["+14155550101"], "+14155550100")).toBe(false)
    expect(onDncList(undefined, "+14155550100")).toBe(false)
    expect(outboundGate({ dnc_numbers: ["+14155550100"] }, "+14155550100", new Date())).toMatchObject({ ok: false, reason: "dnc" })
  })

  test("calling hours are read in the tenant's time zone", () => {
    const hours = { timezone: "America/New_York", start: "09:00", end: "20:00" }
    expect(withinCallingHours(hours, undefined, at("2025-01-15T14:00:00Z")).ok).toBe(true) // 09:00 in New York
    expect(withinCallingHours(hours, undefined, at("2025-01-15T13:59:00Z")).ok).toBe(false) // 08:59
    expect(withinCallingHours(hours, undefined, at("2025-01-16T01:00:00Z")).ok).toBe(false) // 20:00, end exclusive
    expect(withinCallingHours({ ...hours, days: ["mon", "tue"] }, undefined, at("2025-01-15T15:00:00Z"))).toMatchObject({ ok: false, reason: "calling_hours" })
    expect(withinCallingHours({ start: "09:00", end: "17:00" }, "Europe/Paris", at("2025-01-15T08:30:00Z")).ok).toBe(true) // 09:30 in Paris
  })

  test("a window across midnight belongs to the day it starts", () => {
    const night = { timezone: "UTC", start: "22:00", end: "02:00", days: ["wed"] }
    expect(withinCallingHours(night, undefined, at("2025-01-15T23:00:00Z")).ok).toBe(true)
    expect(withinCallingHours(night, undefined, at("2025-01-16T01:00:00Z")).ok).toBe(true)
    expect(withinCallingHours(night, undefined, at("2025-01-15T01:00:00Z")).ok).toBe(false)
  })

  test("a malformed window refuses rather than calls", () => {
    for (const bad of [{ timezone: "Mars/Base", start: "09:00", end: "17:00" }, { start: "9am", end: "17:00" }, "always", { start: "09:00", end: "17:00", days: ["funday"] }]) {
      expect(withinCallingHours(bad, undefined, new Date())).toMatchObject({ ok: false, reason: "calling_hours_invalid" })
    }
  })

  test.prop([fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 })])(
    "a window is open exactly when the local minute is inside it",
    (when, s, e) => {
      const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
      const minute = when.getUTCHours() * 60 + when.getUTCMinutes()
      const inside = s === e || (s < e ? minute >= s && minute < e : minute >= s || minute < e)
      expect(withinCallingHours({ timezone: "UTC", start: hhmm(s), end: hhmm(e) }, undefined, when).ok).toBe(inside)
    }
  )

  test("no configuration, no gate", () => {
    expect(outboundGate({}, "+14155550100", new Date())).toEqual({ ok: true })
  })
})
