import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export interface StaticAnswer {
  readonly status: number
  readonly contentType: string
  readonly body: string | Buffer
}

const DOC_NAMES = ["public", "admin", "openapi"] as const

const findOpenapiDir = (): string | undefined => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "openapi")
    if (existsSync(join(candidate, "openapi.json"))) return candidate
    dir = dirname(dir)
  }
  return undefined
}

const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
const SWAGGER_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "application/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png"
}

const swaggerIndex = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Voice API — Swagger UI</title>
<link rel="stylesheet" href="/swagger-ui/swagger-ui.css"><link rel="icon" href="/swagger-ui/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/swagger-ui/swagger-ui-standalone-preset.js"></script>
<script src="/swagger-ui/init.js"></script>
</body></html>`

// A separate file rather than an inline script, so a strict Content-Security-Policy still works.
const swaggerInit = `window.ui = SwaggerUIBundle({
  urls: [
    { url: "/api-docs/public.json", name: "Public (tenant runtime)" },
    { url: "/api-docs/admin.json", name: "Admin" },
    { url: "/api-docs/openapi.json", name: "Full" }
  ],
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});`

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Voice API docs</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body><h1>Voice API</h1>
<p>Multi-tenant backend for AI phone agents: Twilio calls bridged to a realtime speech model.</p>
<ul>
<li><a href="/swagger-ui">Swagger UI</a> — explore and try every operation</li>
<li><a href="/api-docs/public.json">public.json</a> — tenant runtime API (<code>Authorization: Bearer</code>)</li>
<li><a href="/api-docs/admin.json">admin.json</a> — platform administration (<code>x-admin-key</code>)</li>
<li><a href="/api-docs/openapi.json">openapi.json</a> — the full contract</li>
<li><a href="/health/ready">/health/ready</a> — readiness</li>
</ul></body></html>`

/** Documentation routes, all served from files on disk or installed packages: nothing from a CDN. */
export const makeDocs = () => {
  const openapiDir = findOpenapiDir()
  const docs = new Map<string, string>()
  for (const name of DOC_NAMES) {
    const file = openapiDir ? join(openapiDir, `${name}.json`) : undefined
    if (file && existsSync(file)) docs.set(`/api-docs/${name}.json`, readFileSync(file, "utf8"))
  }
  const html = (body: string): StaticAnswer => ({ status: 200, contentType: "text/html; charset=utf-8", body })

  return (pathname: string): StaticAnswer | undefined => {
    const doc = docs.get(pathname)
    if (doc) return { status: 200, contentType: "application/json", body: doc }
    if (pathname === "/docs" || pathname === "/docs/") return html(docsPage)
    if (pathname === "/swagger-ui" || pathname === "/swagger-ui/" || pathname === "/swagger-ui/index.html") return html(swaggerIndex)
    if (pathname === "/swagger-ui/init.js") return { status: 200, contentType: "application/javascript; charset=utf-8", body: swaggerInit }
    if (pathname.startsWith("/swagger-ui/")) {
      const file = pathname.slice("/swagger-ui/".length)
      const type = SWAGGER_FILES[file]
      if (type) return { status: 200, contentType: type, body: readFileSync(join(swaggerDir, file)) }
    }
    return undefined
  }
}
