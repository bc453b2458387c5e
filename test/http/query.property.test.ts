import { fc, it } from "@fast-check/vitest"
import { afterAll, beforeAll, describe, expect } from "vitest"
import { queryInput } from "../../src/http/query.js"
import { routes, operationId } from "../routers/operations.js"
import { startTestApp, type TestApp } from "../support/app.js"
import { expectAdminError } from "./contract.js"

interface SafeParser {
  safeParse: (v: unknown) => { success: boolean; data?: unknown }
}
const listTenants = routes.find((r) => operationId(r) === "list_tenants")!
const schema = listTenants.inputSchema as SafeParser

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  for (const id of ["q-a", "q-b", "q-c"]) await t.createTenant(id)
})
afterAll(async () => t?.close())

// Raw query text: arbitrary strings, plus the near-misses a client really sends.
const rawValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 600 }).map(String),
  fc.constantFrom("1e3", "0x10", " 1", "1 ", "+5", "05", "1.0", "1.5", "-0", "Infinity", "NaN", "", "١٢", "5,6", "999999999999999999999")
)

const inRange = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max

describe("query integers (limit/offset)", () => {
  it.prop([rawValue, rawValue])("the coerced input either is a valid in-range integer or fails validation", (limit, offset) => {
    const parsed = schema.safeParse(queryInput(schema, new URLSearchParams({ limit, offset })))
    if (!parsed.success) return
    const data = parsed.data as { limit?: unknown; offset?: unknown }
    expect(inRange(data.limit, 1, 500)).toBe(true)
    expect(inRange(data.offset, 0, 1_000_000)).toBe(true)
  })

  it.prop([fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 1_000_000 })])("canonical in-range integers always pass", (limit, offset) => {
    const parsed = schema.safeParse(queryInput(schema, new URLSearchParams({ limit: String(limit), offset: String(offset) })))
    expect(parsed).toMatchObject({ success: true, data: { limit, offset } })
  })

  it.prop([rawValue], { numRuns: 50 })("the server answers 200 with a valid page or 400 with the admin envelope, never 5xx", async (limit) => {
    const res = await t.request(`/api/v1/admin/tenants?limit=${encodeURIComponent(limit)}`, { admin: true })
    if (res.status === 400) return expectAdminError(res, 400)
    expect(res.status, `${JSON.stringify(limit)} → ${res.status} ${res.text}`).toBe(200)
    const n = Number(limit)
    expect(inRange(n, 1, 500), `accepted limit ${JSON.stringify(limit)}`).toBe(true)
    expect((res.json.tenants as Array<unknown>).length).toBe(Math.min(n, 3))
  })
})
