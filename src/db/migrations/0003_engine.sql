-- The régua engine: policies and their steps, explicit assignments, the actions the planner writes
-- (one per invoice, step and channel: planning a day twice is a no-op), contact windows per state,
-- standing per customer and contract with its history, customer pauses and disputes, and the
-- domain events outbox that webhooks read.

-- A policy (régua) says who it governs (segment), in which order it is tried (priority, lowest
-- first), when standing changes and how often one debtor may be contacted. Stop rules are not
-- configurable: paid, cancelled, renegotiated and disputed invoices, paused customers and
-- opted-out channels always stop the régua.
create table policies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  description text not null default '',
  priority integer not null default 100,
  active boolean not null default true,
  -- segment: an empty array / null bound means "any"
  segment_tags text[] not null default '{}',
  segment_kind text check (segment_kind in ('person', 'company')),
  segment_min_amount_cents bigint check (segment_min_amount_cents >= 0),
  segment_max_amount_cents bigint check (segment_max_amount_cents >= 0),
  segment_plans text[] not null default '{}',
  -- standing thresholds in days overdue, measured from the oldest unpaid invoice
  warning_days integer not null default 5 check (warning_days between 1 and 3650),
  suspended_days integer not null default 20 check (suspended_days between 1 and 3650),
  cancelled_days integer not null default 60 check (cancelled_days between 1 and 3650),
  standing_day_kind text not null default 'calendar' check (standing_day_kind in ('calendar', 'business')),
  standing_min_amount_cents bigint not null default 0 check (standing_min_amount_cents >= 0),
  -- one message per customer, step, channel and day listing every invoice (true) or one per invoice
  group_by_customer boolean not null default true,
  max_messages_per_channel_per_day integer not null default 1 check (max_messages_per_channel_per_day >= 1),
  max_messages_per_channel_per_week integer check (max_messages_per_channel_per_week >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, name),
  check (warning_days < suspended_days and suspended_days < cancelled_days)
);

create table policy_steps (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  policy_id uuid not null,
  -- stable within the policy ("D-5"); other steps' conditions refer to it
  name text not null check (length(name) between 1 and 60),
  position integer not null,
  offset_days integer not null check (offset_days between -365 and 365),
  day_kind text not null default 'calendar' check (day_kind in ('calendar', 'business')),
  channels text[] not null check (cardinality(channels) > 0
    and channels <@ '{email,sms,whatsapp,letter,webhook,task}'::text[]),
  -- {"email": "email.d-5", "sms": "sms.d-1"}: one template per channel
  templates jsonb not null,
  min_amount_cents bigint check (min_amount_cents >= 0),
  max_amount_cents bigint check (max_amount_cents >= 0),
  verified_contacts_only boolean not null default false,
  -- only for customers with no usable contact on this channel (a letter when e-mail fails)
  only_without_channel text check (only_without_channel in ('email', 'sms', 'whatsapp')),
  only_if_step text,
  only_if_outcome text check (only_if_outcome in ('failed', 'succeeded')),
  -- narrows the debtor's legal contact window for this step (local time)
  window_start time,
  window_end time,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, policy_id, name),
  foreign key (tenant_id, policy_id) references policies (tenant_id, id) on delete cascade,
  check ((only_if_step is null) = (only_if_outcome is null)),
  check ((window_start is null) = (window_end is null) and (window_start is null or window_start < window_end))
);

-- An explicit policy for one customer or one contract beats the priority order.
create table policy_assignments (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  policy_id uuid not null,
  customer_id uuid,
  contract_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, policy_id) references policies (tenant_id, id) on delete cascade,
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contract_id) references contracts (tenant_id, id) on delete cascade,
  check ((customer_id is null) <> (contract_id is null))
);
create unique index policy_assignments_customer on policy_assignments (tenant_id, customer_id)
  where customer_id is not null;
create unique index policy_assignments_contract on policy_assignments (tenant_id, contract_id)
  where contract_id is not null;

-- Legal contact hours per state (local time of the debtor), tenant data; state '*' is the default
-- for every other state. Never on Sundays or holidays.
create table contact_windows (
  tenant_id uuid not null references tenants (id) on delete cascade,
  state text not null check (state = '*' or state ~ '^[A-Z]{2}$'),
  weekday_start time not null,
  weekday_end time not null,
  saturday_start time,
  saturday_end time,
  primary key (tenant_id, state),
  check (weekday_start < weekday_end),
  check ((saturday_start is null) = (saturday_end is null) and (saturday_start is null or saturday_start < saturday_end))
);

-- A pause stops the régua for a customer until a date; a dispute (invoice_id set) stops it for
-- one invoice until released.
create table customer_pauses (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  invoice_id uuid,
  kind text not null check (kind in ('pause', 'dispute')),
  until date,
  reason text not null check (length(reason) between 1 and 500),
  released_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade,
  check ((kind = 'dispute') = (invoice_id is not null)),
  check (kind = 'dispute' or until is not null)
);
create index customer_pauses_customer on customer_pauses (tenant_id, customer_id) where released_at is null;

-- What the planner decided: one row per invoice, step and channel. Rows of one customer, step,
-- channel and day share a group_key: the dispatcher sends one message per group.
create table dunning_actions (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  invoice_id uuid not null,
  customer_id uuid not null,
  policy_id uuid not null,
  step_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null check (channel in ('email', 'sms', 'whatsapp', 'letter', 'webhook', 'task')),
  template text not null,
  group_key text not null,
  status text not null check (status in ('planned', 'skipped', 'sent', 'delivered', 'failed')),
  skip_reason text check ((status = 'skipped') = (skip_reason is not null)),
  -- the day the step falls on, the local day it goes out, and the window it must go out in
  planned_on date not null,
  send_on date not null,
  scheduled_for timestamptz not null,
  send_until timestamptz not null,
  amount_cents bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  -- no foreign key to invoices: the planner writes tens of thousands of rows a day for invoices it
  -- has just read, and invoices are never deleted (financial records are kept, LGPD anonymises the
  -- person instead); the check per row cost as much as the planning itself
  unique (tenant_id, invoice_id, step_id, channel)
);
create index dunning_actions_due on dunning_actions (tenant_id, scheduled_for) where status = 'planned';
-- the frequency cap reads the messages of the days being planned
create index dunning_actions_send_on on dunning_actions (tenant_id, send_on);

-- Days the planner has planned, so that a run after downtime catches up only the missed days.
create table planner_runs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  ran_at timestamptz not null,
  actions integer not null,
  primary key (tenant_id, day)
);

-- Standing of a customer (subject_kind 'customer', subject_id = customer id) or of a contract.
-- Absent = ok.
create table standings (
  tenant_id uuid not null,
  subject_kind text not null check (subject_kind in ('customer', 'contract')),
  subject_id uuid not null,
  customer_id uuid not null,
  standing text not null check (standing in ('ok', 'warning', 'suspended', 'cancelled')),
  since date not null,
  reason text not null,
  -- an operator reopened a cancelled subject: days overdue count again from this day
  reopened_on date,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, subject_kind, subject_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);
create index standings_customer on standings (tenant_id, customer_id);

create table standing_transitions (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  subject_kind text not null,
  subject_id uuid not null,
  customer_id uuid not null,
  from_standing text not null,
  to_standing text not null,
  reason text not null,
  effective_on date not null,
  at timestamptz not null,
  primary key (tenant_id, id)
);
create index standing_transitions_subject on standing_transitions (tenant_id, subject_id, at);

-- Domain events outbox: written in the same transaction as the change; webhooks fan them out in
-- `seq` order (webhook_outbox_cursor remembers the last one).
create table domain_events (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  seq bigint generated always as identity,
  type text not null,
  customer_id uuid,
  payload jsonb not null,
  occurred_at timestamptz not null,
  primary key (tenant_id, id)
);
create index domain_events_seq on domain_events (tenant_id, seq);
