const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A canonical textual UUID; anything else must not reach a `uuid` column (Postgres would raise). */
export const isUuid = (s: string): boolean => UUID.test(s)
