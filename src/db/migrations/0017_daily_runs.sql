-- The daily run of each tenant and date (src/modules/daily-run): one row per (tenant, day), with
-- its status, how many attempts it took and why the last one failed. A day is 'done' only when
-- all its steps (agreements, planner, overdue events, standing) committed, in the same transaction
-- as the status; a failed day is retried by its job and by the next hourly trigger.
create table daily_runs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  status text not null check (status in ('running', 'done', 'failed')),
  attempts integer not null default 0,
  started_at timestamptz not null,
  finished_at timestamptz,
  error text,
  summary jsonb,
  primary key (tenant_id, day)
);

-- `regua runs` and GET /v1/runs list the latest days first, failures on top when asked
create index daily_runs_status on daily_runs (tenant_id, status, day desc);
