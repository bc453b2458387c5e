/**
 * CONTRACT-NOTES decision 1: fields the contract marks required and non-null that cannot exist
 * yet. They are always present and `null` when unknown, so our documents must say nullable.
 * (The notes name `last_sla_due_at`; the contract's field is `last_sla_alert_due_at`. Both are listed.)
 */
export const NULLABLE_FIELDS: Readonly<Record<string, ReadonlyArray<string>>> = {
  CallbackTask: [
    "acknowledged_at",
    "claimed_at",
    "completed_at",
    "snoozed_until",
    "last_dispatch_attempted_at",
    "last_sla_alerted_at",
    "last_sla_due_at",
    "last_sla_alert_due_at"
  ],
  CallLog: ["ended_at"],
  VoiceSession: ["ended_at"],
  VoiceSessionEval: ["agent_version_id", "call_log_id"]
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** Whether a JSON schema admits `null` (type list, `type: "null"`, or an anyOf/oneOf branch that does). */
export const allowsNull = (schema: unknown): boolean => {
  if (!isObject(schema)) return false
  const type = schema.type
  if (type === "null" || (Array.isArray(type) && type.includes("null"))) return true
  if (schema.const === null) return true
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key]
    if (Array.isArray(branches) && branches.some(allowsNull)) return true
  }
  return false
}

/** Problems with decision-1 fields among the given component schemas: each must be required and nullable. */
export const nullableFieldProblems = (schemas: Readonly<Record<string, unknown>>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  for (const [name, fields] of Object.entries(NULLABLE_FIELDS)) {
    const schema = schemas[name]
    if (!isObject(schema)) continue
    const properties = isObject(schema.properties) ? schema.properties : {}
    const required = Array.isArray(schema.required) ? schema.required : []
    for (const field of fields) {
      if (!(field in properties)) continue
      if (!allowsNull(properties[field])) problems.push(`${name}.${field} must be .nullable() (CONTRACT-NOTES decision 1)`)
      if (!required.includes(field)) problems.push(`${name}.${field} must be always present, not .optional() (CONTRACT-NOTES decision 1)`)
    }
  }
  return problems
}
