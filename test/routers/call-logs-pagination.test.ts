import { fc } from "@fast-check/vitest"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"
import { finalize, finalizeTogether, idsInListOrder } from "../support/call-records.js"

let t: TestApp
let token: string
const TENANT = "pager"

beforeAll(async () => {
  t = await startTestApp()
  await t.createTenant(TENANT)
  token = (await t.createKey(TENANT)).token
  // Batches finalized in one transaction share created_at, so the id tie-break is exercised.
  for (let b = 0; b < 6; b++) {
    await finalizeTogether(t, TENANT, Array.from({ length: 8 }, (_, i) => ({ direction: (b + i) % 2 === 0 ? "inbound" : "outbound" })))
  }
  for (let i = 0; i < 12; i++) await finalize(t, TENANT, { direction: i % 2 === 0 ? "inbound" : "outbound" })
})
afterAll(async () => t?.close())

interface Page {
  readonly ids: ReadonlyArray<string>
  readonly next: string | null
}

const page = async (query: string): Promise<Page> => {
  const r = await t.request(`/api/v1/call-logs?${query}`, { token })
  expect(r.status, r.text).toBe(200)
  return { ids: (r.json.calls as Array<{ id: string }>).map((c) => c.id), next: (r.json.next_cursor as string | null) ?? null }
}

/** Follows next_cursor from the first page to the end; `between` runs before each further page. */
const walk = async (limit: number, filter: string, between: () => Promise<void>) => {
  const seen: Array<string> = []
  let p = await page(`limit=${limit}${filter}`)
  seen.push(...p.ids)
  while (p.next) {
    await between()
    p = await page(`limit=${limit}${filter}&cursor=${encodeURIComponent(p.next)}`)
    expect(p.ids.length).toBeLessThanOrEqual(limit)
    seen.push(...p.ids)
  }
  return seen
}

describe("keyset pagination (cursor / next_cursor)", () => {
  it("the reference order is (created_at desc, id desc) and the first page starts at the newest row", async () => {
    const all = await idsInListOrder(t, TENANT)
    const first = await page("limit=5")
    expect(first.ids).toEqual(all.slice(0, 5))
  })

  it("next_cursor is null on the last page, also for legacy offset pages", async () => {
    const all = await idsInListOrder(t, TENANT)
    const tail = await page(`limit=10&offset=${all.length - 3}`)
    expect(tail.ids).toEqual(all.slice(-3))
    expect(tail.next).toBeNull()
    const exact = await page(`limit=${all.length}`)
    expect(exact.next).toBeNull()
    // An offset page hands out a cursor to continue by keyset.
    const mid = await page("limit=10&offset=10")
    const after = await page(`limit=10&cursor=${encodeURIComponent(mid.next!)}`)
    expect(after.ids).toEqual(all.slice(20, 30))
  })

  it("a cursor takes precedence over offset", async () => {
    const all = await idsInListOrder(t, TENANT)
    const first = await page("limit=4")
    const second = await page(`limit=4&offset=40&cursor=${encodeURIComponent(first.next!)}`)
    expect(second.ids).toEqual(all.slice(4, 8))
  })

  it("another tenant's cursor pages nothing of this tenant into the other", async () => {
    await t.createTenant("other")
    const other = (await t.createKey("other")).token
    const first = await page("limit=2")
    const r = await t.request(`/api/v1/call-logs?limit=2&cursor=${encodeURIComponent(first.next!)}`, { token: other })
    expect(r.status).toBe(200)
    expect(r.json.calls).toEqual([])
  })
  // Last: its concurrent inserts grow the tenant's table.
  it("walking every page returns every row exactly once, in order, for any page size, with concurrent inserts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.constantFrom(undefined, "inbound" as const), fc.nat(2), async (limit, direction, insertsPerPage) => {
        const expected = await idsInListOrder(t, TENANT, direction)
        let pagesSoFar = 0
        // New calls land above the cursor (newer created_at): they must neither appear nor shift anything.
        const seen = await walk(limit, direction ? `&direction=${direction}` : "", async () => {
          if (pagesSoFar++ >= 3) return
          for (let i = 0; i < insertsPerPage; i++) await finalize(t, TENANT, { direction: "inbound" })
        })
        expect(seen).toEqual(expected)
        expect(new Set(seen).size).toBe(seen.length)
      }),
      { numRuns: 25 }
    )
  })
})
