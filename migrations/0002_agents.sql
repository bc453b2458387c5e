-- Agents, their immutable numbered versions, traffic rollouts, rollout governance policies
-- and phone-number routes. Child tables reference parents through (tenant_id, ...) composite
-- keys, so a row can never point at another tenant's agent or version.

CREATE TABLE agents (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  agent_key text NOT NULL,
  name text NOT NULL,
  description text,
  -- Highest version number handed out; bumped in the same statement that inserts a version,
  -- so numbering is gap-free and duplicate-free under concurrent creation.
  last_version_number integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agents_tenant_agent_key_key UNIQUE (tenant_id, agent_key),
  CONSTRAINT agents_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE TABLE agent_versions (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  agent_id uuid NOT NULL,
  version_number integer NOT NULL CHECK (version_number > 0),
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_versions_agent_number_key UNIQUE (agent_id, version_number),
  CONSTRAINT agent_versions_tenant_agent_id_key UNIQUE (tenant_id, agent_id, id)
);
CREATE INDEX agent_versions_tenant_agent_idx ON agent_versions (tenant_id, agent_id, version_number DESC);
-- At most one published version per agent.
CREATE UNIQUE INDEX agent_versions_one_published_idx ON agent_versions (agent_id) WHERE status = 'published';

CREATE TABLE agent_version_rollouts (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  agent_id uuid NOT NULL,
  agent_version_id uuid NOT NULL,
  traffic_percentage integer NOT NULL CHECK (traffic_percentage BETWEEN 0 AND 100),
  position integer NOT NULL CHECK (position >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, agent_id, agent_version_id) REFERENCES agent_versions (tenant_id, agent_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_version_rollouts_version_key UNIQUE (tenant_id, agent_id, agent_version_id),
  CONSTRAINT agent_version_rollouts_position_key UNIQUE (tenant_id, agent_id, position)
);

CREATE TABLE rollout_governance_policies (
  tenant_id text NOT NULL,
  agent_id uuid NOT NULL,
  enabled boolean NOT NULL,
  lookback_hours integer NOT NULL CHECK (lookback_hours > 0),
  min_avg_score double precision NOT NULL,
  min_eval_count integer NOT NULL CHECK (min_eval_count >= 0),
  min_high_quality_rate double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, agent_id),
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX rollout_governance_policies_enabled_idx ON rollout_governance_policies (tenant_id, agent_id) WHERE enabled;

CREATE TABLE phone_number_routes (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  phone_number text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'sip_inbound', 'sip_outbound')),
  agent_id uuid NOT NULL,
  -- Optional pin; NULL means "whatever the agent resolves to" (rollout, then published).
  agent_version_id uuid,
  greeting text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, agent_id, agent_version_id) REFERENCES agent_versions (tenant_id, agent_id, id) ON DELETE CASCADE,
  CONSTRAINT phone_number_routes_tenant_number_direction_key UNIQUE (tenant_id, phone_number, direction)
);
-- Inbound webhooks find the tenant by the called number: one tenant per number and inbound direction.
CREATE UNIQUE INDEX phone_number_routes_inbound_number_idx ON phone_number_routes (phone_number, direction)
  WHERE direction IN ('inbound', 'sip_inbound');
CREATE INDEX phone_number_routes_tenant_agent_idx ON phone_number_routes (tenant_id, agent_id);
