import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { signStreamToken, signTenantHint, verifyStreamToken, verifyTenantHint } from "../../src/domain/stream-token.js"
import { connectStreamTwiml, escapeXmlAttribute, mediaStreamUrlOf } from "../../src/domain/stream-twiml.js"
import { parseTwiml, streamOf } from "../../src/sandbox/twilio/twiml.js"

const secret = fc.string({ minLength: 8, maxLength: 40 })
const id = fc.string({ minLength: 1, maxLength: 40 })
const now = fc.integer({ min: 1_700_000_000, max: 1_900_000_000 })

describe("stream tokens", () => {
  test.prop([id, id, secret, now, fc.integer({ min: 1, max: 3600 })])("verify what they sign, bound to tenant and call", (tenant, call, s, t, ttl) => {
    const token = signStreamToken({ tenant_id: tenant, call_sid: call }, ttl, t, s)
    expect(verifyStreamToken(token, [s], t, call)).toEqual({ ok: true, claims: { tenant_id: tenant, call_sid: call, iat: t, exp: t + ttl } })
    expect(verifyStreamToken(token, [s], t + ttl)).toEqual({ ok: false, reason: "expired" })
    fc.pre(call !== `${call}x`)
    expect(verifyStreamToken(token, [s], t, `${call}x`)).toEqual({ ok: false, reason: "wrong_call" })
  })

  test.prop([id, id, secret, secret, now])("the previous secret still verifies during a rotation; an unknown one never", (tenant, call, current, previous, t) => {
    fc.pre(current !== previous)
    const old = signStreamToken({ tenant_id: tenant, call_sid: call }, 300, t, previous)
    expect(verifyStreamToken(old, [current, previous], t).ok).toBe(true)
    expect(verifyStreamToken(old, [current], t)).toEqual({ ok: false, reason: "bad_signature" })
  })

  test.prop([id, id, secret, now, fc.nat({ max: 300 }), fc.integer({ min: 0, max: 255 })])("any flipped byte is refused", (tenant, call, s, t, pos, xor) => {
    fc.pre(xor !== 0)
    const token = signStreamToken({ tenant_id: tenant, call_sid: call }, 300, t, s)
    const i = pos % token.length
    const tampered = token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ xor) + token.slice(i + 1)
    fc.pre(tampered !== token)
    expect(verifyStreamToken(tampered, [s], t).ok).toBe(false)
  })

  test.prop([id, secret, now])("a tenant hint is not a stream token, nor the reverse", (tenant, s, t) => {
    const hint = signTenantHint(tenant, s)
    expect(verifyTenantHint(hint, [s])).toEqual({ ok: true, claims: { tenant_id: tenant } })
    expect(verifyStreamToken(hint, [s], t).ok).toBe(false)
    expect(verifyTenantHint(signStreamToken({ tenant_id: tenant, call_sid: "CA1" }, 60, t, s), [s]).ok).toBe(false)
  })

  test.prop([fc.string()])("garbage is refused, never thrown on", (garbage) => {
    expect(verifyStreamToken(garbage, ["k"], 1_800_000_000).ok).toBe(false)
    expect(verifyTenantHint(garbage, ["k"]).ok).toBe(false)
  })
})

describe("stream TwiML", () => {
  test.prop([fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k.trim() === k && !/[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/.test(k)), fc.string({ unit: "grapheme", maxLength: 40 }).map((v) => v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")))])(
    "the sandbox reads back exactly the parameters we wrote",
    (params) => {
      const twiml = connectStreamTwiml("wss://voice.example.com/media-stream", params)
      expect(streamOf(parseTwiml(twiml))).toEqual({ url: "wss://voice.example.com/media-stream", parameters: params })
    }
  )

  test("escaping and stream URLs", () => {
    expect(escapeXmlAttribute(`a&b<c>"d'\u0001`)).toBe("a&amp;b&lt;c&gt;&quot;d&apos;")
    expect(mediaStreamUrlOf("https://voice.example.com/")).toBe("wss://voice.example.com/media-stream")
    expect(mediaStreamUrlOf("http://localhost:5050")).toBe("ws://localhost:5050/media-stream")
  })
})
