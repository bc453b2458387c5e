-- Durable record of every supervisor action taken against a live call.
CREATE TABLE supervisor_action_logs (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  stream_sid text NOT NULL,
  call_sid text,
  action text NOT NULL CHECK (action IN ('monitor', 'whisper', 'barge', 'escalate', 'end')),
  supervisor text NOT NULL,
  note text,
  reason text,
  target text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervisor_action_logs_tenant_created_idx ON supervisor_action_logs (tenant_id, created_at DESC, id DESC);
CREATE INDEX supervisor_action_logs_tenant_stream_idx ON supervisor_action_logs (tenant_id, stream_sid, created_at DESC);
CREATE INDEX supervisor_action_logs_created_idx ON supervisor_action_logs (created_at DESC, id DESC);

-- Webhook events waiting for delivery (call.escalated, call.completed); written with the call's
-- final records so an event is never announced for a call that was not stored. Delivery sweeps
-- mark delivered_at.
CREATE TABLE webhook_outbox (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  event text NOT NULL,
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX webhook_outbox_tenant_created_idx ON webhook_outbox (tenant_id, created_at DESC);
CREATE INDEX webhook_outbox_pending_idx ON webhook_outbox (created_at) WHERE delivered_at IS NULL;
