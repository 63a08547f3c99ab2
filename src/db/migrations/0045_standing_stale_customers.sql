-- Standing decided incrementally by the daily run (src/modules/standing/standing-candidates.sql.ts).
-- A customer's standing can change on a day only when the day crosses one of its policy's
-- thresholds for one of its invoices, or when something about the customer changed since the
-- last run. The first the run finds from the due dates (an index range per threshold); the second
-- is recorded here by the database itself, so that every way in (API, imports, bank files,
-- agreements, the dashboard, the portal) is caught without each remembering to say so.

-- The last day the daily run decided the standing of every customer that could change, with the
-- tenant-wide inputs of that decision (policies' thresholds and segments, the agreement setting,
-- the calendar) as a fingerprint: a different fingerprint, or no row, means deciding everyone.
create table standing_decisions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  decided_on date not null,
  -- invoices due on or before this day were overdue on decided_on
  overdue_cutoff date not null,
  fingerprint text not null,
  decided_at timestamptz not null,
  primary key (tenant_id)
);

-- Customers whose facts changed since their standing was last decided. marked_at moves on every
-- new mark, so a run removes only the marks it read (a mark made while it ran stays for the next).
create table standing_stale_customers (
  tenant_id uuid not null,
  customer_id uuid not null,
  marked_at timestamptz not null default clock_timestamp(),
  -- no foreign key: a customer removed (a cascade from its tenant) may leave a mark, read as nothing
  primary key (tenant_id, customer_id)
);

create function mark_standing_stale(p_tenant_id uuid, p_customer_id uuid) returns void
language sql as $$
  insert into standing_stale_customers (tenant_id, customer_id) values (p_tenant_id, p_customer_id)
  on conflict (tenant_id, customer_id) do update set marked_at = clock_timestamp()
$$;

-- Invoices written or removed: only those already overdue on the last decided day matter (a later
-- one is found by its due date on the day it becomes overdue). Statement-level, so that an import
-- of a million rows marks each customer once per batch.
create function invoices_mark_standing_stale_rows() returns trigger language plpgsql as $$
begin
  insert into standing_stale_customers (tenant_id, customer_id)
  select distinct r.tenant_id, r.customer_id
  from changed_invoices r
  join standing_decisions d on d.tenant_id = r.tenant_id
  where r.due_date <= d.overdue_cutoff
  on conflict (tenant_id, customer_id) do update set marked_at = clock_timestamp();
  return null;
end $$;

create trigger invoices_inserted_mark_standing_stale after insert on invoices
  referencing new table as changed_invoices
  for each statement execute function invoices_mark_standing_stale_rows();
create trigger invoices_deleted_mark_standing_stale after delete on invoices
  referencing old table as changed_invoices
  for each statement execute function invoices_mark_standing_stale_rows();

-- An invoice's facts changed (a payment, a cancellation, a new due date, another customer or
-- contract): its customer, and the one it left.
create function invoice_updated_mark_standing_stale() returns trigger language plpgsql as $$
begin
  perform mark_standing_stale(new.tenant_id, new.customer_id);
  if old.customer_id <> new.customer_id then
    perform mark_standing_stale(old.tenant_id, old.customer_id);
  end if;
  return null;
end $$;

create trigger invoices_updated_mark_standing_stale
  after update of status, amount_cents, paid_cents, due_date, customer_id, contract_id on invoices
  for each row
  when ((old.status, old.amount_cents, old.paid_cents, old.due_date, old.customer_id, old.contract_id)
    is distinct from (new.status, new.amount_cents, new.paid_cents, new.due_date, new.customer_id, new.contract_id))
  execute function invoice_updated_mark_standing_stale();

-- A pause or dispute made, changed or released.
create function customer_row_mark_standing_stale() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform mark_standing_stale(old.tenant_id, old.customer_id);
  else
    perform mark_standing_stale(new.tenant_id, new.customer_id);
  end if;
  return null;
end $$;

create trigger customer_pauses_mark_standing_stale after insert or update or delete on customer_pauses
  for each row execute function customer_row_mark_standing_stale();

-- An agreement proposed, activated or ended: the invoices it covers count again, or stop counting.
create trigger agreements_mark_standing_stale after insert or update of status on agreements
  for each row execute function customer_row_mark_standing_stale();

create function agreement_invoice_mark_standing_stale() returns trigger language plpgsql as $$
declare
  changed record;
begin
  if tg_op = 'DELETE' then changed := old; else changed := new; end if;
  perform mark_standing_stale(a.tenant_id, a.customer_id)
  from agreements a where a.tenant_id = changed.tenant_id and a.id = changed.agreement_id;
  return null;
end $$;

create trigger agreement_invoices_mark_standing_stale after insert or delete on agreement_invoices
  for each row execute function agreement_invoice_mark_standing_stale();

-- The facts a policy's segment reads: the customer's tags and kind, the contract's plan, an
-- assignment of a policy to the customer or the contract; an invoice made an installment.
create function customer_itself_mark_standing_stale() returns trigger language plpgsql as $$
begin
  perform mark_standing_stale(new.tenant_id, new.id);
  return null;
end $$;

create trigger customers_mark_standing_stale after update of tags, kind on customers
  for each row when ((old.tags, old.kind) is distinct from (new.tags, new.kind))
  execute function customer_itself_mark_standing_stale();

create trigger contracts_mark_standing_stale after update of plan, customer_id on contracts
  for each row when ((old.plan, old.customer_id) is distinct from (new.plan, new.customer_id))
  execute function customer_row_mark_standing_stale();

create function policy_assignment_mark_standing_stale() returns trigger language plpgsql as $$
declare
  changed record;
begin
  if tg_op = 'DELETE' then changed := old; else changed := new; end if;
  if changed.customer_id is not null then
    perform mark_standing_stale(changed.tenant_id, changed.customer_id);
  else
    perform mark_standing_stale(ct.tenant_id, ct.customer_id)
    from contracts ct where ct.tenant_id = changed.tenant_id and ct.id = changed.contract_id;
  end if;
  return null;
end $$;

create trigger policy_assignments_mark_standing_stale after insert or update or delete on policy_assignments
  for each row execute function policy_assignment_mark_standing_stale();

create function agreement_installment_mark_standing_stale() returns trigger language plpgsql as $$
declare
  changed record;
begin
  if tg_op = 'DELETE' then changed := old; else changed := new; end if;
  perform mark_standing_stale(i.tenant_id, i.customer_id)
  from invoices i where i.tenant_id = changed.tenant_id and i.id = changed.invoice_id;
  return null;
end $$;

create trigger agreement_installments_mark_standing_stale after insert or delete on agreement_installments
  for each row execute function agreement_installment_mark_standing_stale();

-- The overdue announcement (src/modules/invoices/overdue-events.ts) looks at the invoices that
-- became overdue since the last run and at those of stale customers; the partial index on
-- overdue_announced_on it used made every announcement an update of all the invoice's indexes
-- (a column in an index predicate rules out PostgreSQL's in-place HOT update).
drop index invoices_overdue_unannounced;
