-- Foundation: tenants, API keys and the billing core (customers, contacts, contracts, invoices,
-- payments). Every table but tenants leads with tenant_id and its keys include it, so the schema
-- can be distributed by tenant without change. Money is bigint cents; rates are basis points
-- (1% = 100) so that no float ever touches money.

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  legal_name text not null check (length(legal_name) between 1 and 200),
  document text not null,
  address text not null,
  time_zone text not null default 'America/Sao_Paulo',
  default_fine_bps integer not null default 200 check (default_fine_bps between 0 and 10000),
  default_interest_monthly_bps integer not null default 100 check (default_interest_monthly_bps between 0 and 10000),
  -- [{"date":"2026-01-25","name":"Aniversário de São Paulo","state":"SP","city":"São Paulo"}]
  extra_holidays jsonb not null default '[]'::jsonb,
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table api_keys (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  -- the first characters of the key, shown to tell keys apart; the key itself is never stored
  prefix text not null,
  secret_hash text not null,
  scope text not null check (scope in ('read', 'write')),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
create unique index api_keys_prefix on api_keys (prefix);

create table customers (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  external_id text not null,
  name text not null,
  document text not null,
  kind text not null check (kind in ('person', 'company')),
  address_street text,
  address_number text,
  address_district text,
  address_city text,
  address_state char(2),
  address_postal_code text,
  time_zone text not null default 'America/Sao_Paulo',
  tags text[] not null default '{}',
  anonymized_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, external_id)
);
create index customers_document on customers (tenant_id, document);
create index customers_tags on customers using gin (tags);

create table contacts (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  channel text not null check (channel in ('email', 'sms', 'whatsapp')),
  value text not null,
  -- consent to be contacted on this channel; collection rests on credit protection (LGPD art. 7 X)
  -- but consent is still recorded, and an opt-out is honoured at once
  consent_at timestamptz,
  opted_out_at timestamptz,
  verified_owner boolean not null default false,
  unusable_reason text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, customer_id, channel, value),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);

create table contracts (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  external_id text not null,
  customer_id uuid not null,
  plan text not null,
  status text not null default 'active' check (status in ('active', 'suspended', 'cancelled')),
  consumer boolean not null default true,
  fine_bps integer check (fine_bps between 0 and 10000),
  interest_monthly_bps integer check (interest_monthly_bps between 0 and 10000),
  started_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, external_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);

create table invoices (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  external_id text not null,
  customer_id uuid not null,
  contract_id uuid,
  description text not null default '',
  amount_cents bigint not null check (amount_cents > 0),
  issue_date date not null,
  due_date date not null check (due_date >= issue_date),
  status text not null default 'open' check (status in ('open', 'paid', 'cancelled', 'renegotiated')),
  -- consumer contracts cap the fine at 2% (CDC art. 52 §1)
  consumer boolean not null default true,
  fine_bps integer check (fine_bps between 0 and 10000),
  interest_monthly_bps integer check (interest_monthly_bps between 0 and 10000),
  paid_cents bigint not null default 0,
  paid_at timestamptz,
  typeable_line text,
  barcode text,
  pix_payload text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, external_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, contract_id) references contracts (tenant_id, id)
);
create index invoices_open_due on invoices (tenant_id, due_date) where status = 'open';
create index invoices_customer on invoices (tenant_id, customer_id);

create table payments (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  external_id text not null,
  -- null while the payment could not be matched to an invoice: kept for reconciliation
  invoice_id uuid,
  invoice_external_id text,
  amount_cents bigint not null check (amount_cents > 0),
  method text not null check (method in ('boleto', 'pix', 'card', 'transfer', 'cash', 'other')),
  paid_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, external_id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index payments_invoice on payments (tenant_id, invoice_id);
