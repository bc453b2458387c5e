import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { expect } from "vitest"
import type { ApiResponse } from "../support/app.js"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

// The contract itself when it sits beside the project; otherwise our generated document.
const candidates = [join(root, "../shared/seeds/003_6565e6d25f29cf6a.txt"), join(root, "openapi/openapi.json")]
const source = candidates.find((f) => existsSync(f))

interface ResponseObject {
  readonly content?: Record<string, { readonly schema?: { readonly $ref?: string } }>
}
interface OperationObject {
  readonly responses?: Record<string, ResponseObject>
}
interface ContractDoc {
  readonly paths: Record<string, Record<string, OperationObject>>
  readonly components: { readonly schemas: Record<string, unknown> }
}

export const contract: ContractDoc | undefined = source ? (JSON.parse(readFileSync(source, "utf8")) as ContractDoc) : undefined
export const contractSource = source

const BASE = "https://contract.test/doc"
// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus `example` and formats we do not check here.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
if (contract) ajv.addSchema({ $id: BASE, components: contract.components })

const compiled = new Map<string, ValidateFunction>()
export const validatorOf = (schemaName: string): ValidateFunction => {
  let v = compiled.get(schemaName)
  if (!v) {
    if (!contract?.components.schemas[schemaName]) throw new Error(`contract has no component schema ${schemaName}`)
    v = ajv.compile({ $ref: `${BASE}#/components/schemas/${schemaName}` })
    compiled.set(schemaName, v)
  }
  return v
}

export type EnvelopeKind = "tenant" | "admin" | "plain" | (string & {})
const DEFAULT_SCHEMA: Record<string, string> = { tenant: "ErrorResponse", admin: "AdminErrorResponse" }

/**
 * The component the contract documents for this operation's error status; a status it does
 * not document (CONTRACT-NOTES decision 5: 401 everywhere, 409, 429) uses the surface's
 * envelope — AdminErrorResponse on admin operations, text on webhooks, else ErrorResponse.
 */
export const errorSchemaFor = (method: string, template: string, status: number, envelope: EnvelopeKind): string | undefined => {
  const response = contract?.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)]
  if (response?.content) return response.content["application/json"]?.schema?.$ref?.split("/").pop()
  return envelope === "plain" ? undefined : (DEFAULT_SCHEMA[envelope] ?? DEFAULT_SCHEMA.tenant)
}

const formatErrors = (v: ValidateFunction) => JSON.stringify(v.errors)

/** Asserts the body is the contract's error envelope; for the tenant one also the request id. */
export const expectErrorEnvelope = (res: ApiResponse, schemaName: string | undefined, where = "") => {
  if (!schemaName) {
    expect(res.headers.get("content-type"), `${where} plain error`).toMatch(/^text\/plain/)
    expect(res.text.length, `${where} plain error body`).toBeGreaterThan(0)
    return
  }
  expect(res.headers.get("content-type"), `${where} content-type`).toMatch(/^application\/json/)
  const v = validatorOf(schemaName)
  const ok = v(res.json)
  expect(ok, `${where} ${res.status} ${res.text} is not a ${schemaName}: ${ok ? "" : formatErrors(v)}`).toBe(true)
  if (schemaName === "ErrorResponse") {
    expect(res.json.success, where).toBe(false)
    expect(res.json.request_id, `${where} request_id`).toBe(res.headers.get("x-request-id"))
  }
  if (schemaName === "AdminErrorResponse") expect(res.json.ok, where).toBe(false)
}

export const expectTenantError = (res: ApiResponse, status: number, code?: string) => {
  expect(res.status, res.text).toBe(status)
  expectErrorEnvelope(res, "ErrorResponse")
  if (code) expect(res.json.code).toBe(code)
}

export const expectAdminError = (res: ApiResponse, status: number) => {
  expect(res.status, res.text).toBe(status)
  expectErrorEnvelope(res, "AdminErrorResponse")
}
