import { generateOpenApiDocument } from "trpc-to-openapi"
import { appRouter } from "../routers/index.js"
const doc = generateOpenApiDocument(appRouter, { title: "x", version: "1", baseUrl: "http://localhost" })
console.log(JSON.stringify(doc, null, 1))
