-- Long work an operator starts from the dashboard runs as a background job (issue 15 part 6):
-- letters, batch sends and report exports. The row is both the job's record (what the dashboard
-- polls: state, done of total, errors, the file to download) and its queue: workers claim queued
-- rows, or running rows whose lease ran out, with FOR UPDATE SKIP LOCKED. Work advances in chunks
-- that commit together with `done`, so a job taken over after a crash resumes where it stopped.
create table bulk_jobs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('letters', 'batch_send', 'report_export')),
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  input jsonb not null,
  total integer not null default 0,
  done integer not null default 0,
  -- a file made piece by piece after the items (the letters' PDF, one letter at a time): how many
  -- pieces it will have, once known, and how many are in; the bar counts both stages
  file_total integer,
  file_done integer not null default 0,
  -- [{ "customerId": …, "message": … }]: what went wrong with single items; the job goes on
  errors jsonb not null default '[]',
  -- the summary when done (letters printed, actions scheduled, rows exported)
  result jsonb,
  file_name text,
  file_type text,
  file_content bytea,
  failure text,
  created_by text,
  created_at timestamptz not null,
  started_at timestamptz,
  lease_until timestamptz,
  attempts integer not null default 0,
  finished_at timestamptz,
  primary key (tenant_id, id)
);

-- the workers' claim looks only at unfinished jobs
create index bulk_jobs_unfinished on bulk_jobs (created_at) where state in ('queued', 'running');
