-- The customer portal: each tenant's key for signing portal links, the identity-check throttle,
-- the debtors' short sessions and the one-time codes that verify a new e-mail or phone.

-- The HMAC-SHA256 key that signs the tenant's portal links: 32 random bytes, base64url, sealed with
-- the installation's secret key like the providers' secrets; created on first use. Replacing it
-- invalidates every link of the tenant at once. Never leaves the server.
create table portal_keys (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  secret text not null check (length(secret) >= 43),
  created_at timestamptz not null default now()
);

-- Wrong answers to the identity question, per link (SHA-256 of the token) and per client IP
-- (SHA-256 of the address): counted in a window that opens with the first failure; at the limit
-- the key is locked until locked_until, and even a right answer is refused meanwhile.
create table portal_attempts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  scope text not null check (scope in ('link', 'ip')),
  key_hash text not null,
  failures integer not null default 0 check (failures >= 0),
  window_started_at timestamptz not null,
  locked_until timestamptz,
  primary key (tenant_id, scope, key_hash)
);

-- A debtor's session after the identity check (HTTP-only cookie; only the SHA-256 is stored).
-- Sliding expiry: each request pushes expires_at forward.
create table portal_sessions (
  tenant_id uuid not null,
  token_hash text not null,
  customer_id uuid not null,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (token_hash),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);

create index portal_sessions_expiry on portal_sessions (tenant_id, expires_at);

-- A one-time code sent to a new e-mail or phone; the contact is saved as verified only when the
-- debtor types it back before it expires (at most a few wrong tries).
create table portal_contact_codes (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  channel text not null check (channel in ('email', 'sms')),
  value text not null,
  code_hash text not null,
  attempts integer not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);

create index portal_contact_codes_customer on portal_contact_codes (tenant_id, customer_id, created_at);
