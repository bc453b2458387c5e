import type { OpenApiMethod } from "trpc-to-openapi"
import type { ZodObject } from "zod"
import type { ContractMeta, Meta, SecurityScheme } from "./trpc.js"

interface OperationSpec {
  readonly method: OpenApiMethod
  readonly path: `/${string}`
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tags?: ReadonlyArray<string>
  /** Error statuses documented for the operation (the contract's list). */
  readonly errors: ReadonlyArray<number>
  readonly successStatus?: ContractMeta["successStatus"]
  readonly responseSchema?: string
  readonly requestHeaders?: ZodObject
  readonly requestBody?: ContractMeta["requestBody"]
  readonly responseBody?: ContractMeta["responseBody"]
}

const build = (spec: OperationSpec, contract: Omit<ContractMeta, "errors" | "successStatus" | "responseSchema">, tag: string): Meta => ({
  openapi: {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [...(spec.tags ?? [tag])],
    protect: contract.security.length > 0,
    ...(spec.requestHeaders ? { requestHeaders: spec.requestHeaders } : {}),
    ...(spec.requestBody === "form" ? { contentTypes: ["application/x-www-form-urlencoded"] } : {})
  },
  contract: {
    ...contract,
    errors: spec.errors,
    ...(spec.successStatus ? { successStatus: spec.successStatus } : {}),
    ...(spec.responseSchema ? { responseSchema: spec.responseSchema } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    ...(spec.responseBody ? { responseBody: spec.responseBody } : {})
  }
})

const ADMIN_SECURITY: ReadonlyArray<SecurityScheme> = ["admin_key", "admin_session"]

/** An admin operation: admin envelope, admin key or session, listed in admin.json. */
export const adminOp = (spec: OperationSpec, security: ReadonlyArray<SecurityScheme> = ADMIN_SECURITY): Meta =>
  build(spec, { document: "admin", envelope: "admin", security }, "admin")

/** A tenant-runtime operation: bearer auth, `ErrorResponse` envelope, listed in public.json. */
export const tenantOp = (spec: OperationSpec & { readonly tags: ReadonlyArray<string> }): Meta =>
  build(spec, { document: "public", envelope: "tenant", security: ["bearer_auth"] }, spec.tags[0]!)

/** An unauthenticated public operation. */
export const openOp = (spec: OperationSpec & { readonly tags: ReadonlyArray<string> }, envelope: ContractMeta["envelope"] = "tenant"): Meta =>
  build(spec, { document: "public", envelope, security: [] }, spec.tags[0]!)

/** A tenant operation whose failures use the contract's `AutomationResponse` ({ok:false, error}). */
export const automationOp = (spec: OperationSpec & { readonly tags: ReadonlyArray<string> }): Meta =>
  build(spec, { document: "public", envelope: "automation", security: ["bearer_auth"] }, spec.tags[0]!)
