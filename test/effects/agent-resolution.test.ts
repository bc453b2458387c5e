import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { AgentResolution, type ResolveAgentInput } from "../../effects/AgentResolution.js"
import { PhoneRoutes } from "../../effects/PhoneRoutes.js"
import { Rollouts } from "../../effects/Rollouts.js"
import { agentApi } from "../support/agents.js"
import { startTestApp, type TestApp } from "../support/app.js"

let t: TestApp
let api: ReturnType<typeof agentApi>
type Json = Record<string, unknown>
let support: Json
let sales: Json
let empty: Json
let v: Array<Json>
let salesV1: Json

const TENANT = { greeting: "Tenant hello", instructions: "Tenant instructions", model: "gpt-realtime", voice: "alloy" }

beforeAll(async () => {
  t = await startTestApp()
  api = agentApi(t)
  await t.createTenant("acme", TENANT)
  await t.createTenant("globex")
  support = await api.createAgent("acme", "support", "Support")
  sales = await api.createAgent("acme", "sales", "Sales")
  empty = await api.createAgent("acme", "empty")
  v = []
  v.push(await api.createVersion("acme", support.id as string, { instructions: "v1 instructions" }))
  v.push(await api.createVersion("acme", support.id as string, { instructions: "v2", voice: "verse", greeting: "v2 hello" }))
  v.push(await api.createVersion("acme", support.id as string, { instructions: "v3" }))
  await api.publish("acme", v[0]!.id as string)
  salesV1 = await api.createVersion("acme", sales.id as string, { instructions: "sales" })
  await api.publish("acme", salesV1.id as string)
})
afterAll(async () => t?.close())

const run = <A, E>(effect: Effect.Effect<A, E, AgentResolution | PhoneRoutes | Rollouts>) => t.app.runtime.runPromise(effect)
const resolve = (input: Omit<ResolveAgentInput, "tenantId" | "callSid"> & { callSid?: string; tenantId?: string }) =>
  run(AgentResolution.resolve({ tenantId: "acme", callSid: "CA0001", ...input }))
const failure = (input: Omit<ResolveAgentInput, "callSid"> & { callSid?: string }) =>
  run(Effect.flip(AgentResolution.resolve({ callSid: "CA0001", ...input })))
const setRollouts = (entries: ReadonlyArray<{ agent_version_id: string; traffic_percentage: number }>) =>
  run(Rollouts.replace("acme", support.id as string, entries))

describe("AgentResolution.resolve", () => {
  it("falls back to the tenant defaults when nothing selects an agent", async () => {
    expect(await resolve({})).toEqual({
      source: "tenant_default",
      agent_id: null,
      agent_key: null,
      agent_name: null,
      agent_version_id: null,
      version_number: null,
      greeting: "Tenant hello",
      config: { agent_name: null, assistant_profile: null, chat_model: null, greeting: "Tenant hello", instructions: "Tenant instructions", realtime_model: "gpt-realtime", voice: "alloy" }
    })
    // An agent without any version also runs on the tenant defaults, but is named.
    expect(await resolve({ agentKey: "empty" })).toMatchObject({ source: "tenant_default", agent_id: empty.id, agent_key: "empty", agent_version_id: null })
  })

  it("runs the published version, filling unset fields from the tenant", async () => {
    const r = await resolve({ agentKey: "support" })
    expect(r).toMatchObject({ source: "published", agent_id: support.id, agent_key: "support", agent_name: "Support", agent_version_id: v[0]!.id, version_number: 1 })
    expect(r.config).toMatchObject({ instructions: "v1 instructions", voice: "alloy", realtime_model: "gpt-realtime", greeting: "Tenant hello" })
  })

  it("splits traffic by call SID, deterministically, with the rest to the published version", async () => {
    await setRollouts([{ agent_version_id: v[1]!.id as string, traffic_percentage: 50 }])
    const seen = new Map<string, number>()
    for (let i = 0; i < 120; i++) {
      const callSid = `CA${i.toString(16).padStart(32, "0")}`
      const r = await resolve({ agentKey: "support", callSid })
      expect(await resolve({ agentKey: "support", callSid })).toEqual(r)
      seen.set(`${r.source}:${r.version_number}`, (seen.get(`${r.source}:${r.version_number}`) ?? 0) + 1)
    }
    expect([...seen.keys()].sort()).toEqual(["published:1", "rollout:2"])
    expect(seen.get("rollout:2")).toBeGreaterThan(30)
    expect(seen.get("published:1")).toBeGreaterThan(30)

    await setRollouts([{ agent_version_id: v[1]!.id as string, traffic_percentage: 100 }])
    const all = await resolve({ agentKey: "support", callSid: "CAanything" })
    expect(all).toMatchObject({ source: "rollout", agent_version_id: v[1]!.id, greeting: "v2 hello" })
    expect(all.config).toMatchObject({ voice: "verse", instructions: "v2" })
  })

  it("uses the route for the number: its pinned version and greeting beat the split", async () => {
    await setRollouts([{ agent_version_id: v[1]!.id as string, traffic_percentage: 100 }])
    await api.putRoute("acme", { phone_number: "+14155550100", direction: "inbound", agent_id: support.id, agent_version_id: v[2]!.id, greeting: "Route hello" })
    expect(await resolve({ phoneNumber: "+1 415 555 0100", direction: "inbound" })).toMatchObject({
      source: "route",
      agent_id: support.id,
      agent_version_id: v[2]!.id,
      version_number: 3,
      greeting: "Route hello"
    })
    // Without a pin the route only selects the agent; the split decides.
    await api.putRoute("acme", { phone_number: "+14155550101", direction: "sip_inbound", agent_id: support.id })
    expect(await resolve({ phoneNumber: "+14155550101", direction: "sip_inbound" })).toMatchObject({ source: "rollout", version_number: 2 })
    // Direction matters, and a number without a route selects nothing.
    expect((await resolve({ phoneNumber: "+14155550101", direction: "inbound" })).source).toBe("tenant_default")
    expect((await resolve({ phoneNumber: "anonymous" })).source).toBe("tenant_default")
  })

  it("lets an explicit version beat everything, and an agent_key override the route's agent", async () => {
    expect(await resolve({ agentVersionId: v[0]!.id as string, phoneNumber: "+14155550100", direction: "inbound" })).toMatchObject({
      source: "explicit",
      agent_version_id: v[0]!.id,
      greeting: "Route hello"
    })
    // A draft can be named explicitly (QA of staged versions).
    expect(await resolve({ agentVersionId: v[2]!.id as string, agentKey: "support" })).toMatchObject({ source: "explicit", version_number: 3 })
    // The route pins a support version; asking for sales ignores the pin and the route's greeting.
    const r = await resolve({ agentKey: "sales", phoneNumber: "+14155550100", direction: "inbound" })
    expect(r).toMatchObject({ source: "published", agent_key: "sales", agent_version_id: salesV1.id, greeting: "Tenant hello" })
  })

  it("rejects unknown or mismatched selections with ValidationFailed, an unknown tenant with NotFound", async () => {
    const globexAgent = await api.createAgent("globex", "support")
    const globexVersion = await api.createVersion("globex", globexAgent.id as string)
    const cases: Array<Omit<ResolveAgentInput, "callSid">> = [
      { tenantId: "acme", agentKey: "nobody" },
      { tenantId: "acme", agentVersionId: "00000000-0000-4000-8000-000000000000" },
      { tenantId: "acme", agentVersionId: "not-a-uuid" },
      { tenantId: "acme", agentVersionId: globexVersion.id as string },
      { tenantId: "acme", agentVersionId: salesV1.id as string, agentKey: "support" }
    ]
    for (const c of cases) expect((await failure(c))._tag, JSON.stringify(c)).toBe("ValidationFailed")
    expect((await failure({ tenantId: "nobody" }))._tag).toBe("NotFound")
  })
})

describe("PhoneRoutes.findTenantByNumber", () => {
  it("finds the tenant owning an inbound number, in any E.164 spelling", async () => {
    await api.putRoute("acme", { phone_number: "+442079460958", direction: "inbound", agent_id: support.id })
    expect(await run(PhoneRoutes.findTenantByNumber("+44 20 7946 0958", "inbound"))).toBe("acme")
    expect(await run(PhoneRoutes.findTenantByNumber("+442079460958", "sip_inbound"))).toBeUndefined()
    expect(await run(PhoneRoutes.findTenantByNumber("+15550000000", "inbound"))).toBeUndefined()
    expect(await run(PhoneRoutes.findTenantByNumber("not a number", "inbound"))).toBeUndefined()
  })

  it("answers nothing for an outbound number two tenants share", async () => {
    const globexAgent = (await t.request("/api/v1/admin/tenants/globex/agents", { admin: true })).json.agents as Array<Json>
    await api.putRoute("acme", { phone_number: "+14155550177", direction: "outbound", agent_id: support.id })
    expect(await run(PhoneRoutes.findTenantByNumber("+14155550177", "outbound"))).toBe("acme")
    await api.putRoute("globex", { phone_number: "+14155550177", direction: "outbound", agent_id: globexAgent[0]!.id })
    expect(await run(PhoneRoutes.findTenantByNumber("+14155550177", "outbound"))).toBeUndefined()
  })
})
