import type { AnyRouter } from "@trpc/server"
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http"
import { Exit } from "effect"
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { Duplex } from "node:stream"
import type { AppConfigShape } from "../../effects/AppConfig.js"
import type { AppRuntime } from "../../effects/AppLayer.js"
import { RateLimiter } from "../../effects/RateLimiter.js"
import type { RequestContext } from "../../routers/context.js"
import { type HttpProblem, notFoundRouteProblem, problemOfFailure } from "../../routers/error-table.js"
import { envelopeForStatus } from "../../routers/envelopes.js"
import type { Envelope } from "../../routers/trpc.js"
import { makeDocs } from "./docs.js"
import { renderProblem } from "./envelopes.js"
import { writeLog } from "./log.js"
import { callRestRoute } from "./rest-bridge.js"
import { buildRoutes, matchRoute } from "./routes.js"

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

export interface HttpServerOptions {
  readonly router: AnyRouter
  readonly runtime: AppRuntime
  readonly config: AppConfigShape
  readonly upgrades?: ReadonlyMap<string, UpgradeHandler>
}

const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/
// Probes and documentation are never rate limited: a throttled readiness probe takes a healthy pod out.
const UNLIMITED = /^\/(health\/(live|ready)|docs|swagger-ui|api-docs)(\/|$)/

const envelopeForPath = (pathname: string): Envelope => (pathname.startsWith("/api/v1/admin") ? "admin" : "tenant")

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.statusCode = status
  res.setHeader("content-type", "application/json")
  res.end(JSON.stringify(body))
}

const sendProblem = (res: ServerResponse, envelope: Envelope, problem: HttpProblem, requestId: string) => {
  const rendered = renderProblem(envelopeForStatus(envelope, problem.status), problem, requestId)
  for (const [k, v] of Object.entries(problem.headers ?? {})) res.setHeader(k, v)
  res.statusCode = problem.status
  res.setHeader("content-type", rendered.contentType)
  res.end(rendered.body)
}

export const makeHttpServer = (opts: HttpServerOptions): Server => {
  const { router, runtime, config } = opts
  const routes = buildRoutes(router)
  const docs = makeDocs()

  const clientIp = (req: IncomingMessage): string => {
    const forwarded = config.trustProxy ? req.headers["x-forwarded-for"] : undefined
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim()
    return first || (req.socket.remoteAddress ?? "unknown")
  }

  const contextFor = (req: IncomingMessage, requestId: string, signal: AbortSignal, log: RequestContext["log"]): RequestContext => ({
    requestId,
    ip: clientIp(req),
    headers: req.headers,
    runtime,
    signal,
    response: { headers: {} },
    log,
    url: req.url ?? "/"
  })

  // The limiter is synchronous: run it without a promise round-trip on every request.
  const ipAllowed = (ip: string): HttpProblem | undefined => {
    const exit = runtime.runSyncExit(RateLimiter.check("ip", ip))
    if (Exit.isSuccess(exit)) return undefined
    return exit.cause._tag === "Fail" ? problemOfFailure(exit.cause.error) : undefined
  }

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string, log: RequestContext["log"]) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    const pathname = url.pathname
    const abort = new AbortController()
    res.on("close", () => {
      if (!res.writableFinished) abort.abort()
    })

    const doc = docs(pathname)
    if (doc && (req.method === "GET" || req.method === "HEAD")) {
      log.pathTemplate = pathname
      res.statusCode = doc.status
      res.setHeader("content-type", doc.contentType)
      res.end(doc.body)
      return
    }

    if (!UNLIMITED.test(pathname)) {
      const limited = ipAllowed(clientIp(req))
      if (limited) return sendProblem(res, envelopeForPath(pathname), limited, requestId)
    }

    if (pathname === "/trpc" || pathname.startsWith("/trpc/")) {
      log.pathTemplate = "/trpc"
      const ctx = contextFor(req, requestId, abort.signal, log)
      await nodeHTTPRequestHandler({
        router,
        req,
        res,
        path: pathname.slice("/trpc/".length),
        maxBodySize: config.bodyLimitBytes,
        createContext: () => ctx,
        responseMeta: () => ({ headers: { ...ctx.response.headers, "x-request-id": requestId } })
      })
      return
    }

    // HEAD is GET without a body (node drops the body of a HEAD response itself).
    const found = matchRoute(routes, req.method === "HEAD" ? "GET" : (req.method ?? "GET"), pathname)
    if (found.kind === "none") return sendProblem(res, envelopeForPath(pathname), notFoundRouteProblem, requestId)
    if (found.kind === "method_not_allowed") {
      log.pathTemplate = found.route.template
      res.setHeader("allow", routes.filter((r) => r.template === found.route.template).map((r) => r.method).join(", "))
      return sendProblem(res, found.route.contract.envelope, { status: 405, code: "METHOD_NOT_ALLOWED", message: `${req.method} is not allowed on ${found.route.template}` }, requestId)
    }
    const { route, params } = found.match
    log.pathTemplate = route.template
    const ctx = contextFor(req, requestId, abort.signal, log)
    const outcome = await callRestRoute(router, route, params, url, req, ctx, config.bodyLimitBytes)
    for (const [k, v] of Object.entries(ctx.response.headers)) res.setHeader(k, v)
    if (outcome.ok) {
      const kind = route.contract.responseBody ?? "json"
      if (kind === "json") return sendJson(res, outcome.status, outcome.body)
      res.statusCode = outcome.status
      res.setHeader("content-type", kind === "xml" ? "text/xml; charset=utf-8" : "text/plain; charset=utf-8")
      return void res.end(typeof outcome.body === "string" ? outcome.body : String(outcome.body))
    }
    sendProblem(res, route.contract.envelope, outcome.problem, requestId)
  }

  const server = createServer((req, res) => {
    const started = performance.now()
    const incoming = req.headers["x-request-id"]
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    res.setHeader("x-request-id", requestId)
    const log: RequestContext["log"] = {}
    res.on("finish", () => {
      writeLog("info", "request", {
        method: req.method,
        path: log.pathTemplate ?? "(unmatched)",
        status: res.statusCode,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        tenant_id: log.tenantId ?? null,
        request_id: requestId
      })
    })
    handle(req, res, requestId, log).catch((e: unknown) => {
      writeLog("error", "unhandled request failure", { request_id: requestId, error: e instanceof Error ? e.message : String(e) })
      if (!res.headersSent) sendJson(res, 500, { success: false, error: "internal server error", code: "INTERNAL_ERROR", request_id: requestId })
      else res.destroy()
    })
  })

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname
    const handler = opts.upgrades?.get(pathname)
    if (handler) return handler(req, socket, head)
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found")
  })

  return server
}
