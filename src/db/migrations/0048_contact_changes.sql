-- The history of a customer's contacts, whatever the path: a contact added, edited (opted out,
-- consent given, owner confirmed, back in use) or removed (replaced by an import), by the API, the
-- dashboard, a CSV import or the portal, with who did it — read by the customer timeline. The
-- instant is the application's clock (REGUA_FIXED_TIME in a demo), never the database's now().
create table contact_changes (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  customer_id uuid not null,
  contact_id uuid not null,
  change text not null check (change in ('added', 'edited', 'removed')),
  -- what an edit did: opted_out, consent, verified_owner, restored
  detail text,
  channel text not null,
  value text not null,
  source text not null check (source in ('api', 'dashboard', 'csv', 'portal')),
  -- the operator (dashboard) or API key (api) that made the change; null for an import or the debtor
  actor_id uuid,
  at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);
create index contact_changes_by_customer on contact_changes (tenant_id, customer_id, at);

