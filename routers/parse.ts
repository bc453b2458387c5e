import type { Parsed } from "../src/domain/pagination.js"
import { failWith } from "./trpc.js"

/** A domain parse result, or the 400 VALIDATION_ERROR it describes. */
export const orBadRequest = <T>(r: Parsed<T>): T => (r.ok ? r.value : failWith({ status: 400, code: "VALIDATION_ERROR", message: r.error }))
