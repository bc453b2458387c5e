import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestApp, type TestApp } from "../support/app.js"

const openapiDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../openapi")
let t: TestApp
let present: Record<string, boolean>
beforeAll(async () => {
  // The server reads the documents at start-up; note which exist before it does.
  present = Object.fromEntries(["public", "admin", "openapi"].map((n) => [n, existsSync(join(openapiDir, `${n}.json`))]))
  t = await startTestApp()
})
afterAll(async () => t?.close())

const localRefs = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)

describe("documentation routes", () => {
  it("/docs is an HTML page linking the documents", async () => {
    const res = await t.request("/docs")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toMatch(/^text\/html/)
    expect(res.text).toContain("/api-docs/openapi.json")
    expect(res.text).toContain("/swagger-ui")
  })

  it("/swagger-ui references only local /swagger-ui/* assets, and each one is served", async () => {
    for (const path of ["/swagger-ui", "/swagger-ui/"]) {
      const res = await t.request(path)
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toMatch(/^text\/html/)
      const refs = localRefs(res.text)
      expect(refs.length).toBeGreaterThanOrEqual(3)
      for (const ref of refs) {
        expect(ref, "no CDN").toMatch(/^\/swagger-ui\//)
        const asset = await t.request(ref)
        expect(asset.status, ref).toBe(200)
        expect(asset.text.length, ref).toBeGreaterThan(0)
      }
      expect(res.text).not.toMatch(/https?:\/\//)
    }
  })

  it("serves the Swagger UI bundle as JavaScript", async () => {
    const res = await t.request("/swagger-ui/swagger-ui-bundle.js")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toMatch(/javascript/)
    expect(res.text.length).toBeGreaterThan(100_000)
    const init = await t.request("/swagger-ui/init.js")
    for (const n of ["public", "admin", "openapi"]) expect(init.text).toContain(`/api-docs/${n}.json`)
  })

  it("does not serve arbitrary files from the Swagger UI package or the disk", async () => {
    for (const path of ["/swagger-ui/package.json", "/swagger-ui/../package.json", "/swagger-ui/%2e%2e/package.json", "/api-docs/../package.json"]) {
      const res = await t.request(path)
      expect(res.status, path).toBe(404)
      expect(res.text).not.toContain('"dependencies"')
    }
  })

  for (const name of ["public", "admin", "openapi"]) {
    it(`/api-docs/${name}.json is served when openapi/${name}.json exists`, async () => {
      const res = await t.request(`/api-docs/${name}.json`)
      if (!present[name]) return expect(res.status).toBe(404)
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toMatch(/^application\/json/)
      expect(res.json).toEqual(JSON.parse(readFileSync(join(openapiDir, `${name}.json`), "utf8")))
    })
  }
})
