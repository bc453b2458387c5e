import { Effect } from "effect"
import { RateLimited } from "./errors.js"

const MAX_FAILURES = 5
const WINDOW_MS = 15 * 60_000
const LOCKOUT_MS = 15 * 60_000
const FAILURE_DELAY_MS = 250

interface Attempts {
  failures: number
  firstAt: number
  lockedUntil: number
}

/**
 * Brute-force brake for the admin login: every failure costs a short delay, and five
 * failures within 15 minutes lock that username and that IP out for 15 minutes.
 */
export class LoginThrottle extends Effect.Service<LoginThrottle>()("LoginThrottle", {
  accessors: true,
  sync: () => {
    const attempts = new Map<string, Attempts>()
    const keys = (username: string, ip: string) => [`user:${username.toLowerCase()}`, `ip:${ip}`]

    const check = (username: string, ip: string) =>
      Effect.suspend(() => {
        const now = Date.now()
        for (const k of keys(username, ip)) {
          const a = attempts.get(k)
          if (a && a.lockedUntil > now) {
            return Effect.fail(new RateLimited({ scope: "login", retryAfterSeconds: Math.ceil((a.lockedUntil - now) / 1000) }))
          }
        }
        return Effect.void
      })

    const recordFailure = (username: string, ip: string) =>
      Effect.sync(() => {
        const now = Date.now()
        for (const k of keys(username, ip)) {
          let a = attempts.get(k)
          if (!a || now - a.firstAt > WINDOW_MS) a = { failures: 0, firstAt: now, lockedUntil: 0 }
          a.failures++
          if (a.failures >= MAX_FAILURES) a.lockedUntil = now + LOCKOUT_MS
          attempts.set(k, a)
        }
      }).pipe(Effect.zipRight(Effect.sleep(FAILURE_DELAY_MS)))

    const recordSuccess = (username: string, ip: string) =>
      Effect.sync(() => {
        for (const k of keys(username, ip)) attempts.delete(k)
      })

    return { check, recordFailure, recordSuccess } as const
  }
}) {}
