-- The operators' dashboard: a credit limit per customer (the customer view flags it when the open
-- debt exceeds it), and the team's interactions with a customer — phone calls with their outcome
-- and an optional promise to pay (the work queue follows promises up), and free notes.

-- Null: no limit set. Compared with the open invoices' outstanding principal.
alter table customers add column credit_limit_cents bigint check (credit_limit_cents >= 0);

create table customer_interactions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  kind text not null check (kind in ('call', 'note')),
  body text not null default '' check (length(body) <= 10000),
  -- calls only: how the call went
  outcome text check (outcome in ('answered', 'no_answer', 'voicemail', 'wrong_number', 'refused')),
  -- a promise to pay made on the call: the day and the amount promised
  promised_on date,
  promised_cents bigint check (promised_cents > 0),
  -- who recorded it; null when recorded through an API key
  operator_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, operator_id) references operators (tenant_id, id),
  check ((kind = 'call') = (outcome is not null)),
  check ((promised_on is null) = (promised_cents is null)),
  check (promised_on is null or outcome = 'answered'),
  check (kind = 'call' or length(body) > 0)
);
create index customer_interactions_customer on customer_interactions (tenant_id, customer_id, created_at);
-- the work queue reads the promises falling due
create index customer_interactions_promises on customer_interactions (tenant_id, promised_on)
  where promised_on is not null;

-- The delinquency panel's recovery chart reads the payments of the last weeks by day, and for
-- each one paid late the messages sent for that invoice (src/modules/dashboard/panel.sql.ts).
create index payments_paid_at on payments (tenant_id, paid_at) include (invoice_id, amount_cents);
-- Partial: planned rows (the planner's bulk insert) are not in it; an action enters on being sent.
create index dunning_actions_sent_by_invoice on dunning_actions (tenant_id, invoice_id) include (group_key)
  where status in ('sent', 'delivered');

-- The recovery of each past day, as computed. Payments are never changed once recorded, so a past
-- day only changes when a payment is recorded into it later: each load of the panel looks for the
-- payments recorded since the previous one (checked_at, by payments_created) and computes their
-- days again; today is always computed afresh. by_channel: {"email": {"cents": 0, "payments": 0}, …}.
create table dashboard_recovery_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  -- what the figures were computed with; a row computed otherwise is ignored
  time_zone text not null,
  attribution_days integer not null,
  by_channel jsonb not null,
  primary key (tenant_id, day)
);
create table dashboard_recovery_checks (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  checked_at timestamptz not null
);
create index payments_created on payments (tenant_id, created_at) include (paid_at);
