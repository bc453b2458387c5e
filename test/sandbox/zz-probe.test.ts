import { it } from "vitest"
import { CallWebhooks } from "../../effects/CallWebhooks.js"
import { RateLimiter } from "../../effects/RateLimiter.js"
import { twilioSignatureOf } from "../../src/domain/twilio-signature.js"
import { startTestApp } from "../support/app.js"
import { AUTH_TOKEN, twilioConfig } from "../support/fake-twilio.js"
it("probe", async () => {
  const t = await startTestApp({ PUBLIC_BASE_URL: "https://x.test" })
  await t.createTenant("acme", twilioConfig())
  const mk = (i: number) => {
    const params = { CallSid: `CA${i}`, AccountSid: `AC${"1".repeat(32)}`, From: "+14155550100", To: "+15005550006", CallStatus: "ringing" }
    return { params, sig: twilioSignatureOf(AUTH_TOKEN, "https://x.test/api/v1/incoming-call", params) }
  }
  const N = 3000
  const reqs = Array.from({ length: N * 2 }, (_, i) => mk(i))
  let c0 = process.cpuUsage()
  for (let i = 0; i < N; i++) {
    const { params, sig } = reqs[i]!
    await t.app.runtime.runPromise(CallWebhooks.incoming({ pathAndQuery: "/api/v1/incoming-call", signature: sig, form: new URLSearchParams(params) }))
  }
  let c = process.cpuUsage(c0); console.log("effect only", ((c.user + c.system) / N).toFixed(0), "us/req")
  c0 = process.cpuUsage()
  for (let i = 0; i < N; i++) await t.app.runtime.runPromiseExit(RateLimiter.check("ip", "1.2.3.4"))
  c = process.cpuUsage(c0); console.log("ratelimit", ((c.user + c.system) / N).toFixed(0), "us/req")
  c0 = process.cpuUsage()
  for (let i = N; i < 2 * N; i++) {
    const { params, sig } = reqs[i]!
    await fetch(`${t.url}/api/v1/incoming-call`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig }, body: new URLSearchParams(params).toString() }).then((r) => r.text())
  }
  c = process.cpuUsage(c0); console.log("http incl client", ((c.user + c.system) / N).toFixed(0), "us/req")
  await t.close()
}, 120000)
