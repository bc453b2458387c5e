-- Call records: call logs, voice sessions, canonical voice outcomes with their billing outbox,
-- voice session evaluations and rollout governance runs.
--
-- Keyset pagination: list endpoints page by (created_at DESC, id DESC) and the cursor carries
-- created_at with millisecond precision, so keyed timestamps are written truncated to the
-- millisecond (defaults below; the repositories never write them otherwise). A microsecond
-- part would make "(created_at, id) < cursor" skip or repeat rows that share a millisecond.
--
-- Transcript search: full-text search (tsvector + GIN), not pg_trgm. The embedded database
-- (PGlite) ships pg_trgm and btree_gin only as extensions the JS side must load, and a plain
-- `CREATE EXTENSION pg_trgm` fails there ("extension is not available"), while to_tsvector /
-- GIN are core and behave the same on both. Semantics: case-insensitive word and phrase
-- search ('simple' configuration: no stemming, no stop words, any language), so "refund"
-- matches "Refund," but not "refunded"; substring matches inside a word are not supported.
-- The GIN index cannot lead with tenant_id without btree_gin, so the tenant is a recheck on
-- the bitmap; the planner walks (tenant_id, created_at) instead when a term is common.

CREATE TABLE call_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  call_sid text,
  -- NULL until the media stream starts (a queued outbound call has none yet).
  stream_sid text,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  -- The contract's spelling (CONTRACT-NOTES decision 7), plus 'queued' for a call written
  -- before Twilio is asked.
  status text NOT NULL CHECK (status IN ('queued', 'in_progress', 'completed', 'failed', 'escalated', 'busy', 'no_answer', 'canceled')),
  outcome text CHECK (outcome IN ('answered', 'voicemail', 'no_answer', 'busy', 'failed')),
  answered_by text,
  from_number text,
  to_number text,
  agent_version_id uuid,
  model text,
  voice text,
  system_prompt_key text,
  started_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  ended_at timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  escalated boolean NOT NULL DEFAULT false,
  escalation_reason text,
  error_message text,
  recording_url text,
  summary text,
  transcript jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(transcript) = 'array'),
  function_calls jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(function_calls) = 'array'),
  -- Derived in the row so list pages never read (or detoast) the transcript itself.
  transcript_length integer GENERATED ALWAYS AS (jsonb_array_length(transcript)) STORED,
  function_call_count integer GENERATED ALWAYS AS (jsonb_array_length(function_calls)) STORED,
  transcript_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, jsonb_path_query_array(transcript, '$[*].content'))) STORED,
  -- Per-call turn latency summary (PROTOCOLS.md definitions), written at finalization.
  -- Scalar columns, not JSON, so the latency endpoint aggregates them from an index.
  latency_turns integer CHECK (latency_turns >= 0),
  llm_first_token_avg_ms double precision,
  llm_first_token_p50_ms double precision,
  llm_first_token_p95_ms double precision,
  llm_first_token_p99_ms double precision,
  llm_first_token_max_ms double precision,
  e2e_first_audio_avg_ms double precision,
  e2e_first_audio_p50_ms double precision,
  e2e_first_audio_p95_ms double precision,
  e2e_first_audio_p99_ms double precision,
  e2e_first_audio_max_ms double precision,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The list order and keyset cursor.
CREATE INDEX call_logs_tenant_created_idx ON call_logs (tenant_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX call_logs_tenant_call_sid_key ON call_logs (tenant_id, call_sid) WHERE call_sid IS NOT NULL;
CREATE UNIQUE INDEX call_logs_tenant_stream_sid_key ON call_logs (tenant_id, stream_sid) WHERE stream_sid IS NOT NULL;
-- Selective filters keep the list order, so a filtered page is still one range scan.
CREATE INDEX call_logs_tenant_status_created_idx ON call_logs (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX call_logs_tenant_outcome_created_idx ON call_logs (tenant_id, outcome, created_at DESC, id DESC) WHERE outcome IS NOT NULL;
CREATE INDEX call_logs_tenant_from_created_idx ON call_logs (tenant_id, from_number, created_at DESC, id DESC);
CREATE INDEX call_logs_tenant_to_created_idx ON call_logs (tenant_id, to_number, created_at DESC, id DESC);
CREATE INDEX call_logs_tenant_escalated_created_idx ON call_logs (tenant_id, created_at DESC, id DESC) WHERE escalated;
-- Date windows, stats and latency aggregates: covering, so they run as index-only scans and
-- never touch the wide heap rows (transcripts) of a tenant's 50k calls.
CREATE INDEX call_logs_tenant_started_idx ON call_logs (tenant_id, started_at)
  INCLUDE (id, status, outcome, escalated, duration_seconds, latency_turns,
           llm_first_token_avg_ms, llm_first_token_p50_ms, llm_first_token_p95_ms, llm_first_token_p99_ms, llm_first_token_max_ms,
           e2e_first_audio_avg_ms, e2e_first_audio_p50_ms, e2e_first_audio_p95_ms, e2e_first_audio_p99_ms, e2e_first_audio_max_ms);
CREATE INDEX call_logs_transcript_tsv_idx ON call_logs USING gin (transcript_tsv);

CREATE TABLE voice_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  stream_id text NOT NULL,
  call_sid text,
  call_type text,
  customer_phone text,
  agent_name text,
  org_id text,
  model text,
  voice text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'transferred', 'failed')),
  summary text,
  sentiment text,
  rating integer,
  tags text[] NOT NULL DEFAULT '{}',
  transcript jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(transcript) = 'array'),
  function_calls jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(function_calls) = 'array'),
  vad_events jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(vad_events) = 'array'),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  turn_count integer NOT NULL DEFAULT 0 CHECK (turn_count >= 0),
  duration_ms bigint CHECK (duration_ms >= 0),
  started_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  ended_at timestamptz,
  -- Same search semantics as call logs, over agent name, summary and transcript text.
  search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, coalesce(agent_name, '') || ' ' || coalesce(summary, ''))
    || to_tsvector('simple'::regconfig, jsonb_path_query_array(transcript, '$[*].content'))
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT voice_sessions_tenant_stream_key UNIQUE (tenant_id, stream_id)
);
CREATE INDEX voice_sessions_tenant_started_idx ON voice_sessions (tenant_id, started_at DESC, id DESC);
CREATE INDEX voice_sessions_tenant_status_started_idx ON voice_sessions (tenant_id, status, started_at DESC, id DESC);
CREATE INDEX voice_sessions_tenant_call_sid_idx ON voice_sessions (tenant_id, call_sid) WHERE call_sid IS NOT NULL;
CREATE INDEX voice_sessions_search_tsv_idx ON voice_sessions USING gin (search_tsv);

-- The canonical outcome of a call, one per stream, written with its call log at finalization.
CREATE TABLE voice_outcomes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  stream_sid text NOT NULL,
  call_sid text,
  call_log_id uuid REFERENCES call_logs (id) ON DELETE SET NULL,
  resolution text NOT NULL,
  disposition jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- pending_emit → emitted | failed by the outbox delivery; not_billable never changes.
  billing_status text NOT NULL CHECK (billing_status IN ('not_billable', 'pending_emit', 'emitted', 'failed')),
  billable_sku text,
  outcome_source text NOT NULL,
  primary_intent text,
  risk_level text,
  escalated boolean NOT NULL DEFAULT false,
  duration_seconds integer CHECK (duration_seconds >= 0),
  call_type text,
  agent_name text,
  customer_phone text,
  org_id text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT voice_outcomes_tenant_stream_key UNIQUE (tenant_id, stream_sid)
);
CREATE INDEX voice_outcomes_tenant_occurred_idx ON voice_outcomes (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX voice_outcomes_tenant_resolution_idx ON voice_outcomes (tenant_id, resolution, occurred_at DESC);
CREATE INDEX voice_outcomes_tenant_billing_idx ON voice_outcomes (tenant_id, billing_status, occurred_at DESC);
CREATE INDEX voice_outcomes_tenant_call_log_idx ON voice_outcomes (tenant_id, call_log_id) WHERE call_log_id IS NOT NULL;

-- One billing event per outcome, inserted in the outcome's transaction; delivered later by a sweep.
CREATE TABLE billing_outcome_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  voice_outcome_id uuid NOT NULL REFERENCES voice_outcomes (id) ON DELETE CASCADE,
  event_type text NOT NULL,
  billable boolean NOT NULL,
  billable_sku text,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  CONSTRAINT billing_outcome_outbox_outcome_key UNIQUE (voice_outcome_id)
);
CREATE INDEX billing_outcome_outbox_tenant_created_idx ON billing_outcome_outbox (tenant_id, created_at DESC);
-- The delivery sweep is cross-tenant by nature: it takes the oldest due events of everyone.
CREATE INDEX billing_outcome_outbox_due_idx ON billing_outcome_outbox (next_attempt_at) WHERE status = 'pending';

-- One evaluation per voice session (recording again replaces it). Scores are stored on 0..1.
CREATE TABLE voice_session_evals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  -- The identifier the caller used (session id or stream id), as given.
  session_id text NOT NULL,
  voice_session_id uuid NOT NULL REFERENCES voice_sessions (id) ON DELETE CASCADE,
  stream_id text,
  -- NULL when unknown (CONTRACT-NOTES decision 1).
  call_log_id uuid REFERENCES call_logs (id) ON DELETE SET NULL,
  agent_version_id uuid,
  agent_key text,
  agent_name text,
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  rubric jsonb NOT NULL DEFAULT '{}'::jsonb,
  tags text[] NOT NULL DEFAULT '{}',
  notes text,
  source text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT voice_session_evals_tenant_session_key UNIQUE (tenant_id, voice_session_id)
);
CREATE INDEX voice_session_evals_tenant_created_idx ON voice_session_evals (tenant_id, created_at DESC, id DESC);
-- Governance: a version's evaluations inside the lookback window.
CREATE INDEX voice_session_evals_tenant_version_created_idx ON voice_session_evals (tenant_id, agent_version_id, created_at)
  INCLUDE (score) WHERE agent_version_id IS NOT NULL;

-- Every governance evaluation that was applied or recommended a rollback, for audit.
CREATE TABLE rollout_governance_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  agent_id uuid NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('evaluate', 'sweep')),
  status text NOT NULL,
  applied boolean NOT NULL,
  rolled_back_version_ids uuid[] NOT NULL DEFAULT '{}',
  evaluation jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rollout_governance_runs_tenant_agent_created_idx ON rollout_governance_runs (tenant_id, agent_id, created_at DESC);
