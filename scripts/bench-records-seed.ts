import type pg from "pg"

/**
 * Seeds `perTenant` call logs for each tenant with INSERT … SELECT generate_series: transcripts
 * of 6–14 turns drawn from realistic support sentences (with order numbers and names), statuses
 * and outcomes in plausible proportions, per-call latency summaries, over the last 90 days.
 * created_at is truncated to the millisecond like every row the service writes.
 */

const USER_LINES = [
  "Hi, I am calling about my order.",
  "My order number is #N.",
  "I would like a refund for the damaged package.",
  "The package arrived damaged and the box was wet.",
  "Can you tell me when my delivery will arrive?",
  "I need to change my shipping address.",
  "My name is #NAME and I placed an order last week.",
  "I was charged twice on my credit card.",
  "Can I speak to a human agent please?",
  "The product stopped working after two days.",
  "Do you have this jacket in a larger size?",
  "I want to cancel my subscription.",
  "How long does the warranty last?",
  "Yes, that works for me, thank you.",
  "No, that is not what I asked for.",
  "Could you send me the tracking number by email?",
  "I am still waiting for the replacement.",
  "What are your opening hours on Saturday?",
  "The discount code did not apply at checkout.",
  "Thanks, that solves my problem."
]

const AGENT_LINES = [
  "Thanks for calling, how can I help you today?",
  "Let me look up your order, one moment please.",
  "I can see the order #N was shipped yesterday.",
  "I am sorry to hear the package arrived damaged.",
  "I have issued a refund, it will appear in three to five business days.",
  "Your delivery is scheduled for Thursday between nine and noon.",
  "I have updated the shipping address on your order.",
  "I see a duplicate charge, I will reverse it now.",
  "Let me transfer you to a specialist.",
  "The warranty covers manufacturing defects for two years.",
  "I have sent the tracking number to your email address.",
  "Your subscription has been cancelled, you will not be charged again.",
  "We are open from nine to five on Saturday.",
  "I have applied the discount to your order.",
  "Is there anything else I can help you with?",
  "A replacement has been sent and should arrive within a week.",
  "Could you confirm the email address on the account?",
  "I understand, let me check what went wrong.",
  "The larger size is back in stock next Monday.",
  "Have a great day, goodbye."
]

const NAMES = ["Maria Garcia", "James Smith", "Aiko Tanaka", "Oliver Brown", "Fatima Khan", "Lucas Martin", "Chen Wei", "Sofia Rossi"]

const sqlArray = (xs: ReadonlyArray<string>) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ")}]`

// One row of the seed; `g` runs over the tenant's rows, `$1` is the tenant, `$2` the row count.
const SEED_SQL = `
WITH src AS (
  SELECT g, random() AS r, random() AS r2,
         date_trunc('milliseconds', now() - make_interval(secs => (g::float8 / $2::float8) * 90 * 86400 + random())) AS t
  FROM generate_series(1, $2::int) g
), shaped AS (
  SELECT *, CASE WHEN r < 0.70 THEN 'completed' WHEN r < 0.75 THEN 'failed' WHEN r < 0.80 THEN 'busy'
                 WHEN r < 0.88 THEN 'no_answer' WHEN r < 0.90 THEN 'canceled' ELSE 'escalated' END AS status
  FROM src
)
INSERT INTO call_logs (tenant_id, call_sid, stream_sid, direction, status, outcome, answered_by, from_number, to_number, model, voice,
  started_at, ended_at, duration_seconds, escalated, escalation_reason, summary, transcript, function_calls, latency_turns,
  llm_first_token_avg_ms, llm_first_token_p50_ms, llm_first_token_p95_ms, llm_first_token_p99_ms, llm_first_token_max_ms,
  e2e_first_audio_avg_ms, e2e_first_audio_p50_ms, e2e_first_audio_p95_ms, e2e_first_audio_p99_ms, e2e_first_audio_max_ms,
  created_at, updated_at)
SELECT $1, 'CA' || md5($1 || g), 'MZ' || md5($1 || g || 's'),
  CASE WHEN g % 3 = 0 THEN 'outbound' ELSE 'inbound' END, status,
  CASE status WHEN 'completed' THEN (CASE WHEN r2 < 0.15 THEN 'voicemail' ELSE 'answered' END) WHEN 'failed' THEN 'failed'
              WHEN 'busy' THEN 'busy' WHEN 'no_answer' THEN 'no_answer' WHEN 'escalated' THEN 'answered' ELSE NULL END,
  CASE WHEN status IN ('completed', 'escalated') THEN (CASE WHEN r2 < 0.15 THEN 'machine_end_beep' ELSE 'human' END) END,
  '+1555' || lpad((g % 9973)::text, 7, '0'), '+1415' || lpad((g % 7)::text, 7, '0'), 'gpt-realtime', 'alloy',
  t, t + make_interval(secs => 20 + (r2 * 580)::int), CASE WHEN status IN ('completed', 'escalated') THEN 20 + (r2 * 580)::int END,
  status = 'escalated', CASE WHEN status = 'escalated' THEN 'caller asked for a human' END,
  CASE WHEN status IN ('completed', 'escalated') THEN 'Caller asked about an order; the agent helped.' END,
  CASE WHEN status IN ('completed', 'escalated') THEN (
    SELECT jsonb_agg(jsonb_build_object(
      'role', CASE WHEN k % 2 = 0 THEN 'assistant' ELSE 'user' END,
      'content', replace(replace(
        CASE WHEN k % 2 = 0 THEN (${sqlArray(AGENT_LINES)})[1 + floor(random() * ${AGENT_LINES.length})::int]
             ELSE (${sqlArray(USER_LINES)})[1 + floor(random() * ${USER_LINES.length})::int] END,
        '#N', (10000 + floor(random() * 90000))::int::text), '#NAME', (${sqlArray(NAMES)})[1 + (g % ${NAMES.length})]),
      'timestamp', to_char((t + make_interval(secs => k * 6)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY k)
    FROM generate_series(0, 5 + (g % 9)) k WHERE g > 0) ELSE '[]'::jsonb END,
  CASE WHEN g % 4 = 0 AND status = 'completed' THEN jsonb_build_array(jsonb_build_object('name', 'lookup_order', 'arguments', jsonb_build_object('order', g),
    'result', jsonb_build_object('status', 'shipped'), 'duration_ms', 40 + g % 200, 'timestamp', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) ELSE '[]'::jsonb END,
  CASE WHEN status IN ('completed', 'escalated') THEN 3 + g % 8 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 350 + r2 * 300 END, CASE WHEN status IN ('completed', 'escalated') THEN 320 + r2 * 250 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 600 + r2 * 700 END, CASE WHEN status IN ('completed', 'escalated') THEN 800 + r2 * 1200 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 900 + r2 * 1500 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 700 + r * 400 END, CASE WHEN status IN ('completed', 'escalated') THEN 650 + r * 350 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 1000 + r * 900 END, CASE WHEN status IN ('completed', 'escalated') THEN 1300 + r * 1500 END,
  CASE WHEN status IN ('completed', 'escalated') THEN 1500 + r * 2000 END,
  t, t
FROM shaped`

export const seedTenant = (client: pg.Client, tenantId: string, rows: number) => client.query(SEED_SQL, [tenantId, rows])

/** The migration's secondary indexes on call_logs, so the seed can drop them and rebuild them identically. */
export const secondaryIndexes = async (client: pg.Client) =>
  (
    await client.query<{ name: string; def: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'call_logs'::regclass AND NOT i.indisprimary`
    )
  ).rows
