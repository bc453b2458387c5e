-- Outbound call plumbing: idempotency keys for make-call and the raw call events (Twilio status
-- callbacks, AMD verdicts, our own provider errors) that drive call_logs through the state machine.

-- One row per (tenant, operation, Idempotency-Key). The first request inserts it as 'pending' and
-- owns it; concurrent duplicates wait until it is 'completed' and answer its stored response.
-- A row past expires_at (24 h) counts as absent and is taken over by the next request.
CREATE TABLE idempotency_keys (
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  scope text NOT NULL,
  idempotency_key text NOT NULL,
  -- sha256 of the canonical JSON request; the same key with another body is a 409.
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'completed')),
  -- Which request owns a pending row, so only it may complete or release the key.
  owner uuid NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, scope, idempotency_key)
);
-- The expiry sweep is cross-tenant by nature.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

CREATE TABLE call_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  call_sid text NOT NULL,
  -- status_callback | amd | make_call
  source text NOT NULL,
  -- Twilio's own spelling as received (in-progress, no-answer, ...), for audit.
  twilio_status text,
  -- The contract status it maps to, when it maps to one.
  status text,
  answered_by text,
  duration_seconds integer,
  sequence_number integer,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_events_tenant_call_idx ON call_events (tenant_id, call_sid, id);
