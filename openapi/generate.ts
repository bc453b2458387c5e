// `npm run openapi` writes openapi/{openapi,public,admin}.json from the routers' meta;
// `npm run openapi:check` exits 1 when a committed document is stale or missing.
import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { buildDocuments, staleFiles } from "./build.js"

const dir = dirname(fileURLToPath(import.meta.url))
const docs = buildDocuments()

if (process.argv.includes("--check")) {
  const stale = staleFiles(dir, docs)
  if (stale.length > 0) {
    console.error(`openapi: stale or missing: ${stale.map((f) => `openapi/${f}`).join(", ")} (run npm run openapi)`)
    process.exit(1)
  }
  console.log(`openapi: ${Object.keys(docs).length} documents up to date`)
} else {
  for (const [file, text] of Object.entries(docs)) writeFileSync(join(dir, file), text)
  console.log(`openapi: wrote ${Object.keys(docs).map((f) => `openapi/${f}`).join(", ")}`)
}
