-- Effectiveness (issue 17): the probability of payment per open invoice, the models it comes from,
-- and experiments with their recorded assignment of customers to arms.

-- A tenant's trained model of "paid within horizon_days", fitted on its own history only (LGPD):
-- the standardised logistic regression's coefficients and the time-split evaluation. A tenant
-- without one is scored by the documented prior (src/domain/payment-model.ts).
create table payment_models (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  horizon_days integer not null,
  trained_on date not null,
  training_rows integer not null,
  model jsonb not null,
  evaluation jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index payment_models_latest on payment_models (tenant_id, horizon_days, created_at desc);

-- The latest score of each open invoice: written set-based by the scoring pass, read by the work
-- queue, the panel's expected recovery and GET /v1/invoices/{id}/score. `reasons` holds the codes of
-- the largest contributions, signed ('+days_overdue'); their pt-BR text comes from the catalogue.
create table invoice_scores (
  tenant_id uuid not null references tenants (id) on delete cascade,
  invoice_id uuid not null,
  customer_id uuid not null,
  scored_on date not null,
  horizon_days integer not null,
  probability double precision not null check (probability >= 0 and probability <= 1),
  band text not null check (band in ('low', 'medium', 'high')),
  reasons text[] not null,
  model_id uuid,
  primary key (tenant_id, invoice_id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);
create index invoice_scores_customer on invoice_scores (tenant_id, customer_id);

-- An A/B test of two policies (a step variant is a copy of the policy with the step changed) with an
-- optional holdout that receives no message of the régua.
create table experiments (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  control_policy_id uuid not null,
  variant_policy_id uuid,
  holdout_bps integer not null default 0 check (holdout_bps >= 0 and holdout_bps <= 5000),
  horizon_days integer not null default 30,
  status text not null default 'running' check (status in ('running', 'stopped')),
  started_on date not null,
  stopped_on date,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, control_policy_id) references policies (tenant_id, id) on delete cascade,
  foreign key (tenant_id, variant_policy_id) references policies (tenant_id, id) on delete cascade
);

-- Each customer's arm, drawn once from a hash of (experiment, customer) and recorded, so the planner
-- and the results read the same assignment however often they run.
create table experiment_assignments (
  tenant_id uuid not null,
  experiment_id uuid not null,
  customer_id uuid not null,
  arm text not null check (arm in ('control', 'variant', 'holdout')),
  assigned_on date not null,
  primary key (tenant_id, experiment_id, customer_id),
  foreign key (tenant_id, experiment_id) references experiments (tenant_id, id) on delete cascade,
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);
create index experiment_assignments_customer on experiment_assignments (tenant_id, customer_id);
