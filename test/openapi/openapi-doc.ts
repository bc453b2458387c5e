// Small readers over an OpenAPI document (ours or the contract) for the comparison tests.
type Json = Record<string, unknown>

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"]
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

export interface ContractOp {
  /** `METHOD /path` */
  readonly key: string
  readonly path: string
  readonly operation: Json
}

export const operationsOf = (doc: Json): ReadonlyArray<ContractOp> =>
  Object.entries(isObject(doc.paths) ? doc.paths : {}).flatMap(([path, item]) =>
    Object.entries(isObject(item) ? item : {})
      .filter(([method, op]) => METHODS.includes(method) && isObject(op))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, operation: op as Json }))
  )

/** Security alternatives as lists of scheme names; no `security` = none. */
export const securityOf = (op: Json): ReadonlyArray<ReadonlyArray<string>> =>
  Array.isArray(op.security) ? op.security.map((alt) => Object.keys(isObject(alt) ? alt : {})) : []

/**
 * The schema name a response or request body carries: the `$ref` component name (JSON first),
 * `text/plain` for a plain-text body, undefined for none or an inline JSON schema.
 */
export const bodyName = (holder: unknown): string | undefined => {
  const content = isObject(holder) && isObject(holder.content) ? holder.content : {}
  const entries = Object.entries(content).sort(([a]) => (a === "application/json" ? -1 : 0))
  for (const [, media] of entries) {
    const schema = isObject(media) ? media.schema : undefined
    if (isObject(schema) && typeof schema.$ref === "string") return schema.$ref.split("/").pop()
  }
  return "text/plain" in content ? "text/plain" : undefined
}

const responsesOf = (op: Json): Json => (isObject(op.responses) ? op.responses : {})

/** The 2xx statuses, each with the schema name it carries and its media types. */
export const successOf = (op: Json) =>
  Object.entries(responsesOf(op))
    .filter(([status]) => status.startsWith("2"))
    .map(([status, response]) => ({
      status,
      schema: bodyName(response),
      mediaTypes: Object.keys(isObject(response) && isObject(response.content) ? response.content : {}).sort()
    }))

/** Error status → schema name of its body. */
export const errorBodies = (op: Json): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(responsesOf(op))
      .filter(([status]) => !status.startsWith("2"))
      .map(([status, response]) => [status, bodyName(response)])
  )
