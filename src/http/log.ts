import { Cause, HashMap, Logger, LogLevel, List } from "effect"
import type { LogLevelName } from "../../effects/AppConfig.js"

const rank: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold = rank.info

export const setLogLevel = (level: LogLevelName) => {
  threshold = rank[level]
}

/** One JSON object per line on stdout: the only log format the server writes. */
export const writeLog = (level: LogLevelName, message: string, fields: Record<string, unknown> = {}) => {
  if (rank[level] < threshold) return
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, message, ...fields })}\n`)
}

const levelName = (l: LogLevel.LogLevel): LogLevelName =>
  l._tag === "Debug" || l._tag === "Trace" ? "debug" : l._tag === "Warning" ? "warn" : l._tag === "Error" || l._tag === "Fatal" ? "error" : "info"

/** Effect's logs in the same shape as the request log. */
export const jsonLineLogger = Logger.make(({ logLevel, message, annotations, cause, spans }) => {
  const fields: Record<string, unknown> = {}
  for (const [k, v] of HashMap.toEntries(annotations)) fields[k] = v
  if (!Cause.isEmpty(cause)) fields.cause = Cause.pretty(cause)
  const spanNames = List.toArray(spans).map((s) => s.label)
  if (spanNames.length) fields.spans = spanNames
  const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
  writeLog(levelName(logLevel), text, fields)
})
