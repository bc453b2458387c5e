import { z } from "zod"
import { timestamp } from "./agents.js"
import { ROUTE_DIRECTIONS } from "../../effects/PhoneRoutes.js"

export const PhoneNumberRouteDirection = z
  .enum(ROUTE_DIRECTIONS)
  .meta({ id: "PhoneNumberRouteDirection", description: "Call leg the route applies to. Inbound directions have one owning tenant per number." })

export const PhoneNumberRoute = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    phone_number: z.string().describe("E.164 number"),
    direction: PhoneNumberRouteDirection,
    agent_id: z.uuid(),
    agent_key: z.string(),
    agent_name: z.string(),
    agent_version_id: z.uuid().nullable().optional().describe("Pinned version; null follows the agent's rollout / published version"),
    greeting: z.string().nullable().optional().describe("Greeting for calls on this route; overrides the version's greeting"),
    resolved_agent_version_id: z.uuid().nullable().optional().describe("The pinned version, else the agent's published version"),
    resolved_version_number: z.number().int().nullable().optional(),
    created_at: timestamp(),
    updated_at: timestamp()
  })
  .meta({ id: "PhoneNumberRoute" })

export const UpsertPhoneNumberRoute = z
  .object({
    id: z.uuid().nullable().optional().describe("Route to update; omit to create or replace the route of the same number and direction"),
    phone_number: z.string().max(64).describe("E.164 number (human spacing such as '+1 415 555 0100' is compacted)"),
    direction: PhoneNumberRouteDirection,
    agent_id: z.uuid(),
    agent_version_id: z.uuid().nullable().optional().describe("Pin a version of the agent"),
    greeting: z.string().max(2000).nullable().optional()
  })
  .meta({ id: "UpsertPhoneNumberRoute" })

export const AdminPhoneNumberRoutesResponse = z
  .object({ ok: z.boolean(), count: z.number().int().min(0), routes: z.array(PhoneNumberRoute) })
  .meta({ id: "AdminPhoneNumberRoutesResponse" })

export const AdminPhoneNumberRouteResponse = z.object({ ok: z.boolean(), route: PhoneNumberRoute }).meta({ id: "AdminPhoneNumberRouteResponse" })
