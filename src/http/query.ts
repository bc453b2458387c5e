interface ZodDefLike {
  readonly type: string
  readonly innerType?: ZodLike
  readonly in?: ZodLike
  readonly shape?: Record<string, ZodLike>
  readonly element?: ZodLike
}
interface ZodLike {
  readonly _zod: { readonly def: ZodDefLike }
}

const isZod = (v: unknown): v is ZodLike => typeof v === "object" && v !== null && "_zod" in v

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"])

/** The JSON type a query value must become: strip optional/nullable/default wrappers and pipes. */
const baseType = (schema: ZodLike): ZodDefLike => {
  let def = schema._zod.def
  for (let i = 0; i < 10; i++) {
    if (WRAPPERS.has(def.type) && def.innerType) def = def.innerType._zod.def
    else if (def.type === "pipe" && def.in) def = def.in._zod.def
    else break
  }
  return def
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/

/**
 * Query strings are text; the procedure's input schema says which fields are numbers or
 * booleans. Values that do not parse stay strings, so the schema rejects them with a 400
 * naming the field (never `Boolean("false") === true`).
 */
const coerce = (def: ZodDefLike, raw: string): unknown => {
  switch (def.type) {
    case "number":
    case "int":
    case "bigint":
      return DECIMAL.test(raw) ? Number(raw) : raw
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw
    case "null":
      return raw === "null" ? null : raw
    default:
      return raw
  }
}

export const queryInput = (schema: unknown, params: URLSearchParams): Record<string, unknown> => {
  const shape = isZod(schema) ? baseType(schema).shape : undefined
  const out: Record<string, unknown> = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    const field = shape?.[key]
    const def = field ? baseType(field) : undefined
    if (def?.type === "array") {
      const element = def.element ? baseType(def.element) : undefined
      out[key] = values.flatMap((v) => v.split(",")).map((v) => (element ? coerce(element, v) : v))
    } else {
      const last = values[values.length - 1]!
      out[key] = def ? coerce(def, last) : last
    }
  }
  return out
}
