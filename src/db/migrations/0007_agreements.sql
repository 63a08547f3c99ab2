-- Agreements (acordos): a customer's overdue invoices turned into a plan of installments, each
-- installment an invoice of its own. See docs/agreements.md.

-- Per-tenant settings: the overrides of DEFAULT_AGREEMENT_SETTINGS (agreement-settings.ts) as
-- written by the settings API, and the policy (régua) that governs installment invoices, created
-- on first use.
create table agreement_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  settings jsonb not null default '{}'::jsonb,
  policy_id uuid,
  updated_at timestamptz not null default now(),
  foreign key (tenant_id, policy_id) references policies (tenant_id, id) on delete set null (policy_id)
);

create table agreements (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  status text not null default 'proposed'
    check (status in ('proposed', 'active', 'completed', 'lapsed', 'broken', 'cancelled')),
  created_by text not null,
  -- the debt as of the proposal (DebtBreakdown) and the terms (PlanTerms), as the API shows them
  debt jsonb not null,
  terms jsonb not null,
  concession_cents bigint not null check (concession_cents >= 0),
  total_cents bigint not null check (total_cents > 0),
  created_at timestamptz not null default now(),
  activated_at timestamptz,
  ended_at timestamptz,
  end_reason text,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index agreements_by_customer on agreements (tenant_id, customer_id, created_at desc);
-- the daily run reads the agreements still in force
create index agreements_in_force on agreements (tenant_id, status) where status in ('proposed', 'active');

-- The original invoices the agreement replaces.
create table agreement_invoices (
  tenant_id uuid not null,
  agreement_id uuid not null,
  invoice_id uuid not null,
  primary key (tenant_id, agreement_id, invoice_id),
  foreign key (tenant_id, agreement_id) references agreements (tenant_id, id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index agreement_invoices_by_invoice on agreement_invoices (tenant_id, invoice_id);

-- The installments: number 0 is the down payment; each is an invoice (with its boleto and Pix).
create table agreement_installments (
  tenant_id uuid not null,
  agreement_id uuid not null,
  number integer not null check (number between 0 and 48),
  invoice_id uuid not null,
  due_date date not null,
  amount_cents bigint not null check (amount_cents > 0),
  primary key (tenant_id, agreement_id, number),
  unique (tenant_id, invoice_id),
  foreign key (tenant_id, agreement_id) references agreements (tenant_id, id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);

-- After a break, what the debtor paid on installments credited to the original invoices, oldest
-- first (Código Civil arts. 354-355): settlement reads these beside the payments, so the original
-- invoices come back owing exactly what is left, without counting the money twice in payments.
create table agreement_imputations (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  agreement_id uuid not null,
  invoice_id uuid not null,
  amount_cents bigint not null check (amount_cents > 0),
  -- the instant of the installment payment credited, so interest stops on the same day
  paid_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, agreement_id) references agreements (tenant_id, id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index agreement_imputations_by_invoice on agreement_imputations (tenant_id, invoice_id);
