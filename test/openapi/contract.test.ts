import { Validator } from "@seriousme/openapi-schema-validator"
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildDocuments, staleFiles } from "../../openapi/build.js"
import { nullableFieldProblems } from "../../openapi/nullable-fields.js"
import { type ContractOp, bodyName, errorBodies, operationsOf, securityOf, successOf } from "./openapi-doc.js"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const openapiDir = join(root, "openapi")
const contractFile = join(root, "../shared/seeds/003_6565e6d25f29cf6a.txt")
const hasContract = existsSync(contractFile)
const FILES = ["openapi.json", "public.json", "admin.json"] as const

type Json = Record<string, unknown>
const load = (file: string): Json => JSON.parse(readFileSync(file, "utf8"))

let docs: Record<(typeof FILES)[number], string>
beforeAll(() => {
  docs = buildDocuments()
})

describe("openapi:check", () => {
  it("the committed documents are exactly what the generator produces", () => {
    expect(staleFiles(openapiDir, docs), "run `npm run openapi`").toEqual([])
  })

  it("names stale and missing documents", () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-check-"))
    try {
      for (const [file, text] of Object.entries(docs)) writeFileSync(join(dir, file), text)
      expect(staleFiles(dir, docs)).toEqual([])
      writeFileSync(join(dir, "public.json"), docs["public.json"].replace("Voice API", "Voice  API"))
      unlinkSync(join(dir, "admin.json"))
      expect([...staleFiles(dir, docs)].sort()).toEqual(["admin.json", "public.json"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("is deterministic", () => {
    expect(buildDocuments()).toEqual(docs)
  })
})

describe("generated documents", () => {
  it.each(FILES)("%s is a valid OpenAPI 3.1 document", async (file) => {
    const validator = new Validator()
    const result = await validator.validate(load(join(openapiDir, file)))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe("3.1")
  })

  it.each(FILES)("%s lists only components its operations reference, and every $ref resolves", (file) => {
    const doc = load(join(openapiDir, file))
    const schemas = (doc.components as Json).schemas as Json
    const refs = new Set(JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? [])
    for (const ref of refs) expect(schemas, ref).toHaveProperty([ref.split("/").pop()!])
    const fromPaths = new Set(JSON.stringify(doc.paths).match(/#\/components\/schemas\/[^"]+/g) ?? [])
    expect(fromPaths.size).toBeGreaterThan(0)
    for (const name of Object.keys(schemas)) expect(refs.has(`#/components/schemas/${name}`), name).toBe(true)
  })

  it("splits operations by document: public + admin = full", () => {
    const count = (file: string) => operationsOf(load(join(openapiDir, file))).length
    expect(count("public.json") + count("admin.json")).toBe(count("openapi.json"))
    for (const op of operationsOf(load(join(openapiDir, "admin.json")))) expect(op.path.startsWith("/api/v1/admin/"), op.path).toBe(true)
  })

  it("documents CONTRACT-NOTES decision 1 fields as required and nullable", () => {
    const doc = load(join(openapiDir, "openapi.json"))
    expect(nullableFieldProblems((doc.components as Json).schemas as Json)).toEqual([])
  })
})

describe.skipIf(!hasContract)("against the contract (shared/seeds/003)", () => {
  let contract: Json
  let theirs: Map<string, ContractOp>
  let ours: ReadonlyArray<ContractOp>
  beforeAll(() => {
    contract = load(contractFile)
    theirs = new Map(operationsOf(contract).map((op) => [op.key, op]))
    ours = operationsOf(load(join(openapiDir, "openapi.json")))
  })
  afterAll(() => {
    if (!ours) return
    const served = new Set(ours.map((o) => o.key))
    const missing = [...theirs.values()].filter((o) => !served.has(o.key))
    console.log(
      `contract operations not served yet: ${missing.length} of ${theirs.size}\n` +
        missing.map((o) => `  ${o.key} ${String(o.operation.operationId)}`).join("\n")
    )
  })

  it("serves no operation the contract lacks", () => {
    expect(ours.filter((o) => !theirs.has(o.key)).map((o) => o.key)).toEqual([])
  })

  it("matches the contract's operationId, tags, security, success status, media type and response schema", () => {
    for (const op of ours) {
      const c = theirs.get(op.key)
      if (!c) continue
      // Media types are compared where the contract documents a body (it omits the liveness probe's).
      const success = (o: Json, withTypes: boolean) => successOf(o).map((s) => ({ ...s, mediaTypes: withTypes ? s.mediaTypes : [] }))
      const withTypes = successOf(c.operation).some((s) => s.mediaTypes.length > 0)
      const got = { operationId: op.operation.operationId, tags: op.operation.tags, security: securityOf(op.operation), success: success(op.operation, withTypes) }
      const want = { operationId: c.operation.operationId, tags: c.operation.tags, security: securityOf(c.operation), success: success(c.operation, withTypes) }
      expect(got, op.key).toEqual(want)
    }
  })

  it("documents every error status the contract lists, with the same envelope", () => {
    for (const op of ours) {
      const c = theirs.get(op.key)
      if (!c) continue
      const mine = errorBodies(op.operation)
      for (const [status, body] of Object.entries(errorBodies(c.operation))) {
        expect(Object.keys(mine), `${op.key} documents ${status}`).toContain(status)
        // A status the contract lists without a body leaves the body to us (we send the surface's envelope).
        if (body !== undefined) expect(mine[status], `${op.key} ${status} body`).toEqual(body)
      }
    }
  })

  it("names the contract's request body schema", () => {
    for (const op of ours) {
      const c = theirs.get(op.key)
      const want = c ? bodyName(c.operation.requestBody) : undefined
      if (want) expect(bodyName(op.operation.requestBody), op.key).toBe(want)
    }
  })

  it("names only component schemas the contract has, with at least its required properties", () => {
    const contractSchemas = (contract.components as Json).schemas as Record<string, Json>
    const schemas = (load(join(openapiDir, "openapi.json")).components as Json).schemas as Record<string, Json>
    for (const [name, schema] of Object.entries(schemas)) {
      expect(contractSchemas, `component ${name}`).toHaveProperty([name])
      const required = (contractSchemas[name]!.required as ReadonlyArray<string> | undefined) ?? []
      const props = Object.keys((schema.properties as Json | undefined) ?? {})
      expect(props, `${name} properties`).toEqual(expect.arrayContaining([...required]))
    }
  })
})

if (!hasContract) console.log(`contract not found at ${contractFile}: skipping the contract comparison`)
