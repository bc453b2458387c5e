import { Effect } from "effect"

export interface LogEvent {
  readonly type: string
  readonly stream_sid?: string | undefined
  readonly call_sid?: string | null | undefined
  readonly data?: unknown
}

/** What LogStream needs of a WebSocket: a send and how much it has not flushed yet. */
export interface LogSubscriber {
  readonly send: (text: string) => void
  readonly bufferedBytes: () => number
  readonly drop: (reason: string) => void
}

// A subscriber this far behind is dropped; the call that produced the events never waits.
const MAX_BUFFERED_BYTES = 1024 * 1024

/** Tenant-scoped live call events for `GET /api/v1/logs` subscribers. */
export class LogStream extends Effect.Service<LogStream>()("LogStream", {
  accessors: true,
  sync: () => {
    const byTenant = new Map<string, Set<LogSubscriber>>()
    let dropped = 0

    const subscribe = (tenantId: string, s: LogSubscriber): (() => void) => {
      const set = byTenant.get(tenantId) ?? new Set()
      set.add(s)
      byTenant.set(tenantId, set)
      return () => {
        set.delete(s)
        if (set.size === 0 && byTenant.get(tenantId) === set) byTenant.delete(tenantId)
      }
    }

    /** Synchronous and cheap when nobody listens: called from the media hot path. */
    const publish = (tenantId: string, event: LogEvent): void => {
      const set = byTenant.get(tenantId)
      if (!set) return
      const text = JSON.stringify({ ...event, tenant_id: tenantId, timestamp: new Date().toISOString() })
      for (const s of set) {
        if (s.bufferedBytes() > MAX_BUFFERED_BYTES) {
          set.delete(s)
          dropped++
          s.drop("subscriber too slow")
          continue
        }
        s.send(text)
      }
    }

    const connectedClients = (tenantId: string): number => byTenant.get(tenantId)?.size ?? 0
    const hasSubscribers = (tenantId: string): boolean => byTenant.has(tenantId)

    return { subscribe, publish, connectedClients, hasSubscribers, droppedCount: () => dropped } as const
  }
}) {}
