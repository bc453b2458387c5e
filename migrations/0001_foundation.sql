-- Tenants, their API keys and admin browser sessions.
CREATE TABLE tenants (
  tenant_id text PRIMARY KEY,
  config jsonb NOT NULL,
  etag text NOT NULL,
  -- sha256 of config.auth_token, so the legacy bearer is found by hash, never by scanning configs
  legacy_token_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenants_legacy_token_hash_key ON tenants (legacy_token_hash) WHERE legacy_token_hash IS NOT NULL;

CREATE TABLE tenant_api_keys (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  label text,
  key_prefix text NOT NULL,
  key_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX tenant_api_keys_key_hash_key ON tenant_api_keys (key_hash);
CREATE INDEX tenant_api_keys_tenant_created_idx ON tenant_api_keys (tenant_id, created_at DESC, id DESC);

CREATE TABLE admin_sessions (
  token_hash text PRIMARY KEY,
  username text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_expires_idx ON admin_sessions (expires_at);
