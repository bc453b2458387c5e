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
--
-- Stats: per-tenant daily counters in call_stats_daily, kept exact by statement-level triggers.
-- Latency: exact percentile_cont over per-call summaries, read from a covering index.

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
-- Date windows, the last-24h count and latency aggregates: covering, so the aggregates run as
-- index-only scans and never touch the wide heap rows (transcripts) of a tenant's 50k calls.
-- The UTC day comes before started_at (same order, since the day grows with started_at) so daily
-- latency buckets group straight off the index instead of sorting 50k rows; queries on a
-- started_at range repeat it as a day range to bound the scan.
CREATE INDEX call_logs_tenant_started_idx ON call_logs (tenant_id, ((started_at AT TIME ZONE 'UTC')::date), started_at)
  INCLUDE (id, latency_turns,
           llm_first_token_avg_ms, llm_first_token_p50_ms, llm_first_token_p95_ms, llm_first_token_p99_ms, llm_first_token_max_ms,
           e2e_first_audio_avg_ms, e2e_first_audio_p50_ms, e2e_first_audio_p95_ms, e2e_first_audio_p99_ms, e2e_first_audio_max_ms);
CREATE INDEX call_logs_transcript_tsv_idx ON call_logs USING gin (transcript_tsv);

-- Call statistics: per tenant and UTC day counters maintained by statement-level triggers with
-- transition tables, so GET /call-logs/stats sums ~90 small rows instead of aggregating a
-- tenant's 50k+ calls (measured 30-130 ms for plain aggregation at 50k, even index-only), and a
-- bulk insert adds one grouped upsert, not one per row. Deletes only subtract from existing rows
-- (a tenant being deleted cascades here too; inserting would race that cascade).
CREATE TABLE call_stats_daily (
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day date NOT NULL,
  total_calls bigint NOT NULL DEFAULT 0,
  completed_calls bigint NOT NULL DEFAULT 0,
  escalated_calls bigint NOT NULL DEFAULT 0,
  failed_calls bigint NOT NULL DEFAULT 0,
  answered_calls bigint NOT NULL DEFAULT 0,
  voicemail_calls bigint NOT NULL DEFAULT 0,
  no_answer_calls bigint NOT NULL DEFAULT 0,
  busy_calls bigint NOT NULL DEFAULT 0,
  failed_outcome_calls bigint NOT NULL DEFAULT 0,
  outcome_calls bigint NOT NULL DEFAULT 0,
  duration_sum bigint NOT NULL DEFAULT 0,
  duration_count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day)
);

CREATE FUNCTION call_stats_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE call_stats_daily s SET
      total_calls = s.total_calls - d.total_calls, completed_calls = s.completed_calls - d.completed_calls,
      escalated_calls = s.escalated_calls - d.escalated_calls, failed_calls = s.failed_calls - d.failed_calls,
      answered_calls = s.answered_calls - d.answered_calls, voicemail_calls = s.voicemail_calls - d.voicemail_calls,
      no_answer_calls = s.no_answer_calls - d.no_answer_calls, busy_calls = s.busy_calls - d.busy_calls,
      failed_outcome_calls = s.failed_outcome_calls - d.failed_outcome_calls, outcome_calls = s.outcome_calls - d.outcome_calls,
      duration_sum = s.duration_sum - d.duration_sum, duration_count = s.duration_count - d.duration_count
    FROM (
      SELECT tenant_id, (started_at AT TIME ZONE 'UTC')::date AS day, count(*) AS total_calls,
        count(*) FILTER (WHERE status = 'completed') AS completed_calls, count(*) FILTER (WHERE escalated OR status = 'escalated') AS escalated_calls,
        count(*) FILTER (WHERE status = 'failed') AS failed_calls, count(*) FILTER (WHERE outcome = 'answered') AS answered_calls,
        count(*) FILTER (WHERE outcome = 'voicemail') AS voicemail_calls, count(*) FILTER (WHERE outcome = 'no_answer') AS no_answer_calls,
        count(*) FILTER (WHERE outcome = 'busy') AS busy_calls, count(*) FILTER (WHERE outcome = 'failed') AS failed_outcome_calls,
        count(outcome) AS outcome_calls, coalesce(sum(duration_seconds), 0) AS duration_sum, count(duration_seconds) AS duration_count
      FROM old_rows GROUP BY 1, 2
    ) d
    WHERE s.tenant_id = d.tenant_id AND s.day = d.day;
    RETURN NULL;
  END IF;
  -- Transition tables exist only for their own event, so the source is chosen per event.
  EXECUTE format($q$
  WITH changed AS (%s), delta AS (
    SELECT tenant_id, (started_at AT TIME ZONE 'UTC')::date AS day, sum(sign) AS total_calls,
      sum(CASE WHEN status = 'completed' THEN sign ELSE 0 END) AS completed_calls,
      sum(CASE WHEN escalated OR status = 'escalated' THEN sign ELSE 0 END) AS escalated_calls,
      sum(CASE WHEN status = 'failed' THEN sign ELSE 0 END) AS failed_calls,
      sum(CASE WHEN outcome = 'answered' THEN sign ELSE 0 END) AS answered_calls,
      sum(CASE WHEN outcome = 'voicemail' THEN sign ELSE 0 END) AS voicemail_calls,
      sum(CASE WHEN outcome = 'no_answer' THEN sign ELSE 0 END) AS no_answer_calls,
      sum(CASE WHEN outcome = 'busy' THEN sign ELSE 0 END) AS busy_calls,
      sum(CASE WHEN outcome = 'failed' THEN sign ELSE 0 END) AS failed_outcome_calls,
      sum(CASE WHEN outcome IS NOT NULL THEN sign ELSE 0 END) AS outcome_calls,
      sum(coalesce(duration_seconds, 0) * sign) AS duration_sum,
      sum(CASE WHEN duration_seconds IS NOT NULL THEN sign ELSE 0 END) AS duration_count
    FROM changed GROUP BY 1, 2
  )
  INSERT INTO call_stats_daily AS s SELECT * FROM delta
  -- An update that touched none of the counted columns changes nothing: skip its row lock.
  WHERE (total_calls, completed_calls, escalated_calls, failed_calls, answered_calls, voicemail_calls, no_answer_calls, busy_calls,
         failed_outcome_calls, outcome_calls, duration_sum, duration_count) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  ON CONFLICT (tenant_id, day) DO UPDATE SET
    total_calls = s.total_calls + EXCLUDED.total_calls, completed_calls = s.completed_calls + EXCLUDED.completed_calls,
    escalated_calls = s.escalated_calls + EXCLUDED.escalated_calls, failed_calls = s.failed_calls + EXCLUDED.failed_calls,
    answered_calls = s.answered_calls + EXCLUDED.answered_calls, voicemail_calls = s.voicemail_calls + EXCLUDED.voicemail_calls,
    no_answer_calls = s.no_answer_calls + EXCLUDED.no_answer_calls, busy_calls = s.busy_calls + EXCLUDED.busy_calls,
    failed_outcome_calls = s.failed_outcome_calls + EXCLUDED.failed_outcome_calls, outcome_calls = s.outcome_calls + EXCLUDED.outcome_calls,
    duration_sum = s.duration_sum + EXCLUDED.duration_sum, duration_count = s.duration_count + EXCLUDED.duration_count
  $q$, CASE WHEN TG_OP = 'INSERT'
    THEN 'SELECT 1 AS sign, tenant_id, started_at, status, outcome, escalated, duration_seconds FROM new_rows'
    ELSE 'SELECT 1 AS sign, tenant_id, started_at, status, outcome, escalated, duration_seconds FROM new_rows
          UNION ALL SELECT -1, tenant_id, started_at, status, outcome, escalated, duration_seconds FROM old_rows' END);
  RETURN NULL;
END
$$;

CREATE TRIGGER call_logs_stats_insert AFTER INSERT ON call_logs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION call_stats_daily_apply();
CREATE TRIGGER call_logs_stats_update AFTER UPDATE ON call_logs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION call_stats_daily_apply();
CREATE TRIGGER call_logs_stats_delete AFTER DELETE ON call_logs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION call_stats_daily_apply();

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
