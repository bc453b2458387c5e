import { SqlError } from "@effect/sql"
import { Effect } from "effect"

/** Postgres SQLSTATE of a failed statement, when the driver reported one. */
export const sqlStateOf = (e: SqlError.SqlError): string | undefined => {
  const cause: unknown = e.cause
  return typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined
}

export const UNIQUE_VIOLATION = "23505"

/** Turns a unique violation into the given domain failure; any other SQL error is a defect. */
export const onUniqueViolation =
  <E>(fail: () => E) =>
  <A, R>(self: Effect.Effect<A, SqlError.SqlError, R>): Effect.Effect<A, E, R> =>
    self.pipe(
      Effect.catchAll((e) => (sqlStateOf(e) === UNIQUE_VIOLATION ? Effect.fail(fail()) : Effect.die(e)))
    )
