import { z } from "zod"
import { CreateTenantApiKey } from "../routers/schemas/admin-auth.js"
import { TenantRuntimeConfigPatch, TenantIdInput } from "../routers/schemas/tenants.js"
const a = CreateTenantApiKey.extend(TenantIdInput.shape)
console.log(z.globalRegistry.get(a), z.globalRegistry.get(CreateTenantApiKey))
const b = TenantRuntimeConfigPatch.extend({ tenant_id: z.string() })
console.log(z.globalRegistry.get(b), b.meta())
console.log(z.toJSONSchema(z.object({d: z.date()}), {unrepresentable:"any"}))
