-- The HTTP API: operators of the dashboard and their sessions, the audit log, idempotency keys,
-- outbound webhooks (endpoints, deliveries, attempts) and inbound payment gateways.

-- People of the creditor's collections team. Passwords are scrypt hashes (node:crypto):
-- "scrypt$N$r$p$<salt base64>$<hash base64>", never the password.
create table operators (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  name text not null default '',
  role text not null check (role in ('admin', 'analyst', 'viewer')),
  password_hash text not null,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, email)
);

-- A dashboard session: the cookie carries a random token; only its SHA-256 is stored. The CSRF
-- token is handed to the page at login and must come back in X-CSRF-Token on every write.
create table operator_sessions (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  operator_id uuid not null,
  token_hash text not null unique,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, operator_id) references operators (tenant_id, id) on delete cascade
);

-- Who wrote what, and which operator read whose personal data (LGPD art. 37: records of processing).
create table audit_log (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('api_key', 'operator', 'system')),
  actor_id text,
  action text not null,
  resource_type text,
  resource_id text,
  request_id text,
  status_code integer,
  primary key (tenant_id, id)
);
create index audit_log_at on audit_log (tenant_id, at desc);

-- A POST sent twice with the same Idempotency-Key gets the first response back (Stripe's model).
-- request_hash covers method, path and body: the same key with another body is a conflict.
create table idempotency_keys (
  tenant_id uuid not null references tenants (id) on delete cascade,
  key text not null,
  request_hash text not null,
  status_code integer,
  response_body text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (tenant_id, key)
);

-- Outbound webhooks: where a tenant wants events, which ones, and the secret that signs them.
create table webhook_endpoints (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  url text not null check (url ~ '^https?://'),
  description text not null default '',
  -- empty = every event
  events text[] not null default '{}',
  secret text not null,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

-- One event to one endpoint. Deliveries for the same endpoint and customer go out in order:
-- the worker sends a delivery only when no earlier one for that pair is still pending.
create table webhook_deliveries (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  seq bigint generated always as identity,
  endpoint_id uuid not null,
  event_id uuid not null,
  event_type text not null,
  customer_id uuid,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  last_status_code integer,
  last_error text,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, endpoint_id, event_id),
  foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (tenant_id, endpoint_id, seq);

create table webhook_attempts (
  tenant_id uuid not null,
  delivery_id uuid not null,
  attempt integer not null,
  at timestamptz not null,
  status_code integer,
  error text,
  duration_ms integer not null,
  primary key (tenant_id, delivery_id, attempt),
  foreign key (tenant_id, delivery_id) references webhook_deliveries (tenant_id, id) on delete cascade
);

-- Engine outbox events already fanned out to webhook deliveries (the outbox belongs to the engine).
create table webhook_outbox_cursor (
  tenant_id uuid not null references tenants (id) on delete cascade,
  source text not null,
  last_id text not null,
  primary key (tenant_id, source)
);

-- Payment gateways that notify payments to POST /v1/payments/notifications/{provider}?tenant=slug,
-- signed with HMAC-SHA256 of the raw body under this secret.
create table payment_gateways (
  tenant_id uuid not null references tenants (id) on delete cascade,
  provider text not null check (provider ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  secret text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, provider)
);

-- A short-lived token the creditor's backend mints for one customer, so that the script embedded
-- in its login page can read that customer's standing without holding an API key.
create table standing_tokens (
  tenant_id uuid not null,
  token_hash text not null,
  customer_id uuid not null,
  expires_at timestamptz not null,
  primary key (token_hash),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);

-- The invoice list filters by status and due date at any status (the open-only index of 0001
-- serves the régua), in the list's order.
create index invoices_list on invoices (tenant_id, status, due_date, id);
create index invoices_due_list on invoices (tenant_id, due_date, id);

-- CSV uploads through the API run in the background; the client polls progress and the report.
create table import_jobs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('customers', 'invoices', 'payments')),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  dry_run boolean not null default false,
  done integer not null default 0,
  total integer not null default 0,
  report jsonb,
  error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, id)
);
