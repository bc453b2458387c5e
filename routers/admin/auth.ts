import { AdminAuth } from "../../effects/AdminAuth.js"
import { StreamAuth } from "../../effects/StreamAuth.js"
import { adminOp } from "../meta.js"
import { adminCredentials, adminProcedure, publicProcedure } from "../procedures.js"
import { NoInput } from "../schemas/common.js"
import {
  AdminAuthTransportAlertsResponse,
  AdminAuthTransportResponse,
  AdminLoginRequest,
  AdminLoginResponse,
  AdminSessionStatusResponse
} from "../schemas/admin-auth.js"
import { router, run } from "../trpc.js"

const sessionStatus = (s: { login_enabled: boolean; authenticated: boolean; username: string | null }) => ({
  ok: true,
  workos_enabled: false,
  workos_authorize_url: null,
  ...s
})

export const adminAuthRouter = router({
  login: publicProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/auth/login", operationId: "admin_login", summary: "Admin Login", errors: [401, 404, 429], responseSchema: "AdminLoginResponse" }, []))
    .input(AdminLoginRequest)
    .output(AdminLoginResponse)
    .mutation(async ({ ctx, input }) => {
      const session = await run(ctx, AdminAuth.login(input.username, input.password, ctx.ip))
      ctx.response.headers["set-cookie"] = session.setCookie
      return { ok: true, username: session.username }
    }),

  logout: publicProcedure
    .meta(adminOp({ method: "POST", path: "/api/v1/admin/auth/logout", operationId: "admin_logout", summary: "Admin Logout", errors: [404], responseSchema: "AdminSessionStatusResponse" }, ["admin_session", "admin_key"]))
    .input(NoInput)
    .output(AdminSessionStatusResponse)
    .mutation(async ({ ctx }) => {
      const creds = adminCredentials(ctx)
      const out = await run(ctx, AdminAuth.logout(creds.sessionToken))
      ctx.response.headers["set-cookie"] = out.setCookie
      const status = await run(ctx, AdminAuth.status({ ...(creds.adminKey !== undefined ? { adminKey: creds.adminKey } : {}) }))
      return sessionStatus(status)
    }),

  session: publicProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/auth/session", operationId: "get_admin_session_status", summary: "Get Admin Session Status", errors: [404], responseSchema: "AdminSessionStatusResponse" }, ["admin_session", "admin_key"]))
    .input(NoInput)
    .output(AdminSessionStatusResponse)
    .query(async ({ ctx }) => sessionStatus(await run(ctx, AdminAuth.status(adminCredentials(ctx))))),

  transport: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/auth/transport", operationId: "get_auth_transport_diagnostics", summary: "Get Auth Transport Diagnostics", errors: [401, 404], responseSchema: "AdminAuthTransportResponse" }))
    .input(NoInput)
    .output(AdminAuthTransportResponse)
    .query(async ({ ctx }) => ({ ok: true, auth_transport: await run(ctx, StreamAuth.diagnostics) })),

  alerts: adminProcedure
    .meta(adminOp({ method: "GET", path: "/api/v1/admin/alerts/auth-transport", operationId: "get_auth_transport_alerts", summary: "Get Auth Transport Alerts", errors: [401, 404], responseSchema: "AdminAuthTransportAlertsResponse" }))
    .input(NoInput)
    .output(AdminAuthTransportAlertsResponse)
    .query(async ({ ctx }) => {
      const [diagnostics, alerts] = await Promise.all([run(ctx, StreamAuth.diagnostics), run(ctx, StreamAuth.alerts)])
      const status = alerts.some((a) => a.severity === "critical") ? "critical" : alerts.some((a) => a.severity === "warning") ? "warning" : "ok"
      return { ok: true, status, diagnostics, count: alerts.length, alerts }
    })
})
