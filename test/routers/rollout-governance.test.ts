import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { validatorOf } from "../http/contract.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { finalize, nextSid } from "../support/call-records.js"

let t: TestApp
const tokens: Record<string, string> = {}

interface Agent {
  readonly tenant: string
  readonly id: string
  readonly versions: ReadonlyArray<string>
}

const admin = async (method: string, path: string, body?: unknown) => {
  const r = await t.request(path, { method, admin: true, ...(body !== undefined ? { body } : {}) })
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(200)
  return r.json
}

/** An agent with `n` versions, the first published. */
const makeAgent = async (tenant: string, key: string, n: number): Promise<Agent> => {
  const base = `/api/v1/admin/tenants/${tenant}`
  const agent = (await admin("POST", `${base}/agents`, { agent_key: key, name: `Agent ${key}` })).agent as { id: string }
  const versions: Array<string> = []
  for (let i = 0; i < n; i++) versions.push(((await admin("POST", `${base}/agent-versions`, { agent_id: agent.id, config: { greeting: `v${i + 1}` } })).version as { id: string }).id)
  await admin("POST", `${base}/agent-versions/${versions[0]}/publish`)
  return { tenant, id: agent.id, versions }
}

const setRollouts = (a: Agent, entries: ReadonlyArray<readonly [number, number]>) =>
  admin("PUT", `/api/v1/admin/tenants/${a.tenant}/agents/${a.id}/rollouts`, { entries: entries.map(([v, p]) => ({ agent_version_id: a.versions[v], traffic_percentage: p })) })

const setPolicy = (a: Agent, policy: Record<string, unknown>) => admin("PUT", `/api/v1/admin/tenants/${a.tenant}/agents/${a.id}/rollout-policy`, policy)

/** One call run by `version`, its session and an evaluation with `score`. */
const evaluated = async (a: Agent, version: number, score: number) => {
  const stream = nextSid("MZgov")
  const callSid = nextSid("CAgov")
  await finalize(t, a.tenant, { stream_sid: stream, call_sid: callSid, agent_version_id: a.versions[version]! })
  expect((await t.request("/api/v1/voice-sessions", { token: tokens[a.tenant]!, body: { stream_id: stream, call_sid: callSid } })).status).toBe(201)
  const r = await t.request("/api/v1/automations/voice/evaluation", { token: tokens[a.tenant]!, body: { session_id: stream, score } })
  expect(r.status, r.text).toBe(200)
}

const evaluate = (a: Agent, apply: boolean) =>
  t.request(`/api/v1/admin/tenants/${a.tenant}/agents/${a.id}/rollout-governance/evaluate`, { admin: true, body: { apply } })

const rolloutsOf = async (a: Agent) =>
  ((await admin("GET", `/api/v1/admin/tenants/${a.tenant}/agents/${a.id}/rollouts`)).rollouts as Array<{ agent_version_id: string; traffic_percentage: number }>).map((r) => [
    a.versions.indexOf(r.agent_version_id),
    r.traffic_percentage
  ])

let main: Agent
let quiet: Agent
let other: Agent

beforeAll(async () => {
  t = await startTestApp()
  for (const tenant of ["gov-a", "gov-b"]) {
    await t.createTenant(tenant, tenant === "gov-a" ? { auth_token: "legacy-token-gov-a" } : {})
    tokens[tenant] = (await t.createKey(tenant)).token
  }
  main = await makeAgent("gov-a", "support", 3)
  quiet = await makeAgent("gov-a", "sales", 2)
  other = await makeAgent("gov-b", "support", 2)
  await setRollouts(main, [
    [1, 20],
    [2, 30]
  ])
  await setRollouts(quiet, [[1, 10]])
  await setRollouts(other, [[1, 40]])
  // min_avg_score on the 0..100 scale is read as 70% (the policy's documented alternative).
  await setPolicy(main, { enabled: true, lookback_hours: 24, min_avg_score: 70, min_eval_count: 3, min_high_quality_rate: null })
  await setPolicy(quiet, { enabled: true, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 3 })
  await setPolicy(other, { enabled: true, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 2 })
  for (const s of [0.9, 0.85, 0.8, 0.9]) await evaluated(main, 0, s) // published: avg 0.8625
  for (const s of [0.9, 0.95, 0.88]) await evaluated(main, 1, s) // passes
  for (const s of [0.4, 0.5, 0.6]) await evaluated(main, 2, s) // fails: below 0.7 and the published average
  await evaluated(quiet, 1, 0.2) // one eval: not enough to judge
  for (const s of [0.3, 0.2]) await evaluated(other, 1, s) // fails
})
afterAll(async () => t?.close())

describe("POST …/agents/{agent_id}/rollout-governance/evaluate", () => {
  it("judges each rollout version against the policy and the published version, changing nothing without apply", async () => {
    const r = await evaluate(main, false)
    expect(r.status, r.text).toBe(200)
    expect(validatorOf("AdminRolloutGovernanceEvaluationResponse")(r.json), JSON.stringify(validatorOf("AdminRolloutGovernanceEvaluationResponse").errors)).toBe(true)
    const e = r.json.evaluation as Record<string, unknown>
    expect(e).toMatchObject({ agent_id: main.id, agent_key: "support", agent_name: "Agent support", status: "rollback_recommended", applied: false })
    expect(e.published_version).toMatchObject({ agent_version_id: main.versions[0], version_number: 1, eval_count: 4 })
    expect((e.published_version as { avg_score: number }).avg_score).toBeCloseTo(0.8625, 10)
    const versions = e.rollout_versions as Array<Record<string, unknown>>
    expect(versions.map((v) => [v.version_number, v.status, v.eval_count, v.traffic_percentage])).toEqual([
      [2, "pass", 3, 20],
      [3, "fail", 3, 30]
    ])
    expect((versions[1]!.avg_score as number)).toBeCloseTo(0.5, 10)
    expect((versions[1]!.reasons as Array<string>).join(" ")).toContain("below the minimum 0.70")
    expect(await rolloutsOf(main)).toEqual([
      [1, 20],
      [2, 30]
    ])
  })

  it("with apply, removes the failing version's traffic through the rollouts and records the run", async () => {
    const r = await evaluate(main, true)
    const e = r.json.evaluation as { status: string; applied: boolean; rollout_versions: Array<{ status: string }> }
    expect(e).toMatchObject({ status: "rolled_back", applied: true })
    expect(e.rollout_versions.map((v) => v.status)).toEqual(["pass", "rolled_back"])
    expect(await rolloutsOf(main)).toEqual([[1, 20]])
    // Nothing left to roll back.
    const again = await evaluate(main, true)
    expect(again.json.evaluation).toMatchObject({ status: "healthy", applied: false })
  })

  it("too few evaluations is insufficient data and is never rolled back", async () => {
    const r = await evaluate(quiet, true)
    expect(r.json.evaluation).toMatchObject({ status: "insufficient_data", applied: false })
    expect(await rolloutsOf(quiet)).toEqual([[1, 10]])
  })

  it("a disabled policy recommends but never applies", async () => {
    await setPolicy(other, { enabled: false, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 2 })
    const r = await evaluate(other, true)
    expect(r.json.evaluation).toMatchObject({ status: "disabled", applied: false })
    expect(await rolloutsOf(other)).toEqual([[1, 40]])
    await setPolicy(other, { enabled: true, lookback_hours: 24, min_avg_score: 0.7, min_eval_count: 2 })
  })

  it("unknown agent or tenant → 404 with the admin envelope; tenant keys are refused", async () => {
    for (const path of [
      `/api/v1/admin/tenants/gov-a/agents/00000000-0000-4000-8000-000000000000/rollout-governance/evaluate`,
      `/api/v1/admin/tenants/gov-a/agents/${other.id}/rollout-governance/evaluate`,
      `/api/v1/admin/tenants/nobody/agents/${main.id}/rollout-governance/evaluate`
    ]) {
      const r = await t.request(path, { admin: true, body: {} })
      expect(r.status, path).toBe(404)
      expect(r.json).toMatchObject({ ok: false })
    }
    const r = await t.request(`/api/v1/admin/tenants/gov-a/agents/${main.id}/rollout-governance/evaluate`, { token: tokens["gov-a"]!, body: {} })
    expect([401, 403]).toContain(r.status)
  })
})

describe("POST /api/v1/admin/rollout-governance/sweep", () => {
  it("evaluates every enabled policy across tenants with counts, items and failures", async () => {
    const r = await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { apply: false } })
    expect(r.status, r.text).toBe(200)
    expect(validatorOf("AdminRolloutGovernanceSweepResponse")(r.json), JSON.stringify(validatorOf("AdminRolloutGovernanceSweepResponse").errors)).toBe(true)
    const result = r.json.result as Record<string, unknown>
    expect(result).toMatchObject({ attempted_tenants: 2, evaluated_tenants: 2, attempted_agents: 3, evaluated_agents: 3, rollback_recommended: 1, rollbacks_applied: 0, failures: [] })
    const items = result.items as Array<{ tenant_id: string; auth_token: string; evaluation: { agent_id: string; status: string } }>
    expect(items.map((i) => [i.tenant_id, i.auth_token, i.evaluation.status]).sort()).toEqual(
      [
        ["gov-a", "***", "healthy"],
        ["gov-a", "***", "insufficient_data"],
        ["gov-b", "", "rollback_recommended"]
      ].sort()
    )
    expect(await rolloutsOf(other)).toEqual([[1, 40]])
  })

  it("auth_token narrows the sweep to its tenant; limit caps the agents; apply rolls back", async () => {
    const narrowed = await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { auth_token: "legacy-token-gov-a" } })
    expect(narrowed.json.result).toMatchObject({ attempted_tenants: 1, attempted_agents: 2 })
    const unknown = await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { auth_token: "nobody's token" } })
    expect(unknown.json.result).toMatchObject({ attempted_tenants: 0, attempted_agents: 0, items: [] })
    const limited = await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { limit: 1 } })
    expect(limited.json.result).toMatchObject({ attempted_agents: 1 })
    expect((await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { limit: 0 } })).status).toBe(400)

    const applied = await t.request("/api/v1/admin/rollout-governance/sweep", { admin: true, body: { apply: true } })
    expect(applied.json.result).toMatchObject({ rollback_recommended: 1, rollbacks_applied: 1 })
    expect(await rolloutsOf(other)).toEqual([])
  })
})
