-- The customer area lets a debtor ask for another plan or another way to pay (issue 15). The
-- creditor's catalogue of plans is a tenant setting (name and monthly price); a contract says how
-- it is paid; each request is kept with its decision, so the creditor confirms or declines it
-- through the API and the customer's timeline shows it.

create table plan_catalogues (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  plans jsonb not null default '[]',
  updated_at timestamptz not null default now()
);

alter table contracts add column payment_method text not null default 'boleto'
  check (payment_method in ('boleto', 'pix', 'pix_automatico'));

create table plan_change_requests (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  contract_id uuid not null,
  kind text not null check (kind in ('plan', 'payment_method')),
  current_value text not null,
  requested_value text not null,
  -- the plan's monthly price when it was asked for: the catalogue may change before the decision
  monthly_price_cents integer,
  status text not null default 'requested' check (status in ('requested', 'confirmed', 'declined')),
  requested_at timestamptz not null,
  decided_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contract_id) references contracts (tenant_id, id) on delete cascade
);

create index plan_change_requests_customer on plan_change_requests (tenant_id, customer_id, requested_at);
