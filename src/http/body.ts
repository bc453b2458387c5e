import type { IncomingMessage } from "node:http"

export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: "too_large" | "invalid_json" | "unsupported_media_type"; readonly message: string }

/** Reads the whole body up to `limit` bytes; JSON with any charset parameter is accepted. */
export const readRaw = (req: IncomingMessage, limit: number): Promise<Buffer | "too_large"> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN)
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      return resolve("too_large")
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let over = false
    req.on("data", (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        chunks.length = 0
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(over ? "too_large" : Buffer.concat(chunks)))
    req.on("error", reject)
  })

export const readJsonBody = async (req: IncomingMessage, limit: number): Promise<BodyResult> => {
  const raw = await readRaw(req, limit)
  if (raw === "too_large") return { ok: false, reason: "too_large", message: `request body exceeds ${limit} bytes` }
  if (raw.length === 0) return { ok: true, value: undefined }
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase()
  if (type !== "application/json" && !type.endsWith("+json")) {
    return { ok: false, reason: "unsupported_media_type", message: `content-type must be application/json, got ${type}` }
  }
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) }
  } catch (e) {
    return { ok: false, reason: "invalid_json", message: `malformed JSON body: ${e instanceof Error ? e.message : String(e)}` }
  }
}

export type FormResult =
  | { readonly ok: true; readonly value: URLSearchParams }
  | { readonly ok: false; readonly reason: "too_large" | "unsupported_media_type"; readonly message: string }

/** Twilio posts application/x-www-form-urlencoded; repeated keys are kept for the signature. */
export const readFormBody = async (req: IncomingMessage, limit: number): Promise<FormResult> => {
  const raw = await readRaw(req, limit)
  if (raw === "too_large") return { ok: false, reason: "too_large", message: `request body exceeds ${limit} bytes` }
  const type = (req.headers["content-type"] ?? "application/x-www-form-urlencoded").split(";")[0]!.trim().toLowerCase()
  if (raw.length > 0 && type !== "application/x-www-form-urlencoded") {
    return { ok: false, reason: "unsupported_media_type", message: `content-type must be application/x-www-form-urlencoded, got ${type}` }
  }
  return { ok: true, value: new URLSearchParams(raw.toString("utf8")) }
}
