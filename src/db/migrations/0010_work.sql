-- The team's work: internal tickets with their comments, and groups of customers with a purpose
-- (protest, credit-bureau listing, out-of-court agency) with their members and the bureau rules'
-- settings. The work queue is a query over existing tables and needs no table of its own.

-- An internal ticket (ocorrência): a task for an operator, about a customer or not.
create table tickets (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  customer_id uuid,
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 10000),
  assignee_id uuid,
  due_on date,
  status text not null default 'open' check (status in ('open', 'in_progress', 'done')),
  created_by_kind text not null check (created_by_kind in ('api_key', 'operator', 'system')),
  created_by_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, assignee_id) references operators (tenant_id, id),
  check ((status = 'done') = (closed_at is not null))
);
create index tickets_assignee on tickets (tenant_id, assignee_id, status);
create index tickets_customer on tickets (tenant_id, customer_id, created_at);
create index tickets_open on tickets (tenant_id, created_at) where status <> 'done';

create table ticket_comments (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  ticket_id uuid not null,
  author_kind text not null check (author_kind in ('api_key', 'operator', 'system')),
  author_id text,
  body text not null check (length(body) between 1 and 10000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade
);
create index ticket_comments_ticket on ticket_comments (tenant_id, ticket_id, created_at);

-- A group of customers; its purpose gives it rules: 'bureau' (negativação) admits a customer
-- only after a written notice and a waiting period (CDC art. 43 §2), and after payment the
-- removal must be asked within 5 business days; 'agency' exports the updated debts.
create table customer_groups (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  purpose text not null check (purpose in ('general', 'protest', 'bureau', 'agency')),
  description text not null default '' check (length(description) <= 1000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, name)
);

-- A customer's membership of a group. Leaving keeps the row (removed_at): for a bureau group the
-- removal is the request to the bureau, and whether it met its deadline stays on record.
create table customer_group_members (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  group_id uuid not null,
  customer_id uuid not null,
  added_at timestamptz not null,
  added_by_kind text not null check (added_by_kind in ('api_key', 'operator', 'system')),
  added_by_id text,
  -- bureau: the notice letter the listing rests on
  notice_message_id uuid,
  -- bureau: the day the debt was paid, and the last day to ask the bureau to remove the listing
  settled_on date,
  removal_due_on date,
  removed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, group_id) references customer_groups (tenant_id, id) on delete cascade,
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  check ((settled_on is null) = (removal_due_on is null))
);
create unique index customer_group_members_current on customer_group_members (tenant_id, group_id, customer_id)
  where removed_at is null;
create index customer_group_members_customer on customer_group_members (tenant_id, customer_id)
  where removed_at is null;
create index customer_group_members_removals on customer_group_members (tenant_id, removal_due_on)
  where removal_due_on is not null and removed_at is null;

-- Per-tenant rules of the groups; an absent row means the defaults.
create table group_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  -- calendar days between the notice letter and the earliest listing (market practice: 10)
  bureau_notice_wait_days integer not null default 10 check (bureau_notice_wait_days between 0 and 365),
  updated_at timestamptz not null default now()
);
