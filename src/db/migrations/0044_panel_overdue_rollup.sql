-- The delinquency panel's overdue figures from a rollup (docs/dashboard.md § How the panel is kept;
-- the rule in src/modules/dashboard/panel-rollup.sql.ts). The panel read every open overdue
-- invoice of the tenant on each load, which grows with the portfolio. Now each customer's open debt
-- owed directly (the open-debt rule: agreements in force replace their originals) is kept by due
-- date, and the tenant's sums by due date; the panel reads only the sums and computes each due
-- date's days overdue at read time, so the passing of a day moves the figures without a write.
--
-- The hot paths write nothing here but a mark in panel_stale_customers, from the triggers below:
-- row-level on updates, firing only when a column the rule reads changed (an update never copies
-- its rows into a transition table: a remittance of 100,000 boletos updates 100,000 invoices);
-- statement-level on inserts and deletes, whose rows are new or gone anyway. The fold (before the
-- panel reads, and every minute in the worker) takes the marked customers set-based.

-- No foreign key: deleting a tenant cascades to its invoices, whose trigger marks their customers
-- after the tenant is gone (the fold of a tenant without invoices only clears the marks).
-- A new mark of a customer already marked only locks the mark until the writer commits (ON CONFLICT
-- DO UPDATE locks the row even when its WHERE writes nothing, so no new row version per write): the
-- fold skips a locked mark, so it is folded next time with the write committed, never lost to a
-- fold that read the invoices before the commit. marked_at is when the customer was first marked.
create table panel_stale_customers (
  tenant_id uuid not null,
  customer_id uuid not null,
  marked_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, customer_id)
);
-- Every load probes this table, and a fold deletes what it took: a bank file's 100,000 marks left
-- as dead rows made the probe of an empty table take a second until a vacuum. Vacuumed after a
-- thousand dead rows whatever the table's size (the fold also vacuums after a large one).
alter table panel_stale_customers set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_cost_delay = 0);

-- Per customer and due date: its open invoices owed directly, whatever their due date (a future one
-- becomes overdue by the passing of days), and the customer's previous such due date
-- ('-infinity' for its oldest; an older one is brought forward to SMALL_DELAY_DAYS before the due
-- date, which counts the same).
create table panel_customer_due_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  customer_id uuid not null,
  due_date date not null,
  previous_due date not null,
  invoices bigint not null,
  balance_cents bigint not null,
  primary key (tenant_id, customer_id, due_date)
);

-- The tenant's sums of the rows above by (due date, previous due date): a customer counts once in
-- a range of due dates at the row whose previous due date is before the range. At most
-- SMALL_DELAY_DAYS + 1 rows per due date.
create table panel_due_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  due_date date not null,
  previous_due date not null,
  customers bigint not null,
  invoices bigint not null,
  balance_cents bigint not null,
  primary key (tenant_id, due_date, previous_due)
);

create function mark_panel_stale(p_tenant_id uuid, p_customer_id uuid) returns void
language sql as $$
  insert into panel_stale_customers (tenant_id, customer_id) values (p_tenant_id, p_customer_id)
  on conflict (tenant_id, customer_id) do update set marked_at = excluded.marked_at where false
$$;

-- Invoices inserted or deleted: their customers, when the invoice is owed (open, not fully paid).
create function invoices_mark_panel_stale_rows() returns trigger language plpgsql as $$
begin
  insert into panel_stale_customers (tenant_id, customer_id)
  select distinct r.tenant_id, r.customer_id
  from changed_invoices r
  where r.status = 'open' and r.amount_cents > r.paid_cents
  on conflict (tenant_id, customer_id) do update set marked_at = excluded.marked_at where false;
  return null;
end $$;

create trigger invoices_inserted_mark_panel_stale after insert on invoices
  referencing new table as changed_invoices
  for each statement execute function invoices_mark_panel_stale_rows();
create trigger invoices_deleted_mark_panel_stale after delete on invoices
  referencing old table as changed_invoices
  for each statement execute function invoices_mark_panel_stale_rows();

-- An invoice owed before or after the update whose status, amounts, due date or customer changed:
-- its customer, and the one it left.
create function invoice_updated_mark_panel_stale() returns trigger language plpgsql as $$
begin
  -- inline, not through mark_panel_stale: a bank file's payments run this once per invoice
  insert into panel_stale_customers (tenant_id, customer_id) values (new.tenant_id, new.customer_id)
  on conflict (tenant_id, customer_id) do update set marked_at = excluded.marked_at where false;
  if old.customer_id <> new.customer_id then
    perform mark_panel_stale(old.tenant_id, old.customer_id);
  end if;
  return null;
end $$;

create trigger invoices_updated_mark_panel_stale
  after update of status, amount_cents, paid_cents, due_date, customer_id on invoices
  for each row
  when (((old.status = 'open' and old.amount_cents > old.paid_cents)
      or (new.status = 'open' and new.amount_cents > new.paid_cents))
    and (old.status, old.amount_cents, old.paid_cents, old.due_date, old.customer_id)
      is distinct from (new.status, new.amount_cents, new.paid_cents, new.due_date, new.customer_id))
  execute function invoice_updated_mark_panel_stale();

-- An invoice put into an agreement or taken out of one (its removal cascades from the agreement's):
-- the customer of the invoice, which the agreement in force covers.
create function agreement_invoices_mark_panel_stale_rows() returns trigger language plpgsql as $$
begin
  insert into panel_stale_customers (tenant_id, customer_id)
  select distinct i.tenant_id, i.customer_id
  from changed_links l
  join invoices i on i.tenant_id = l.tenant_id and i.id = l.invoice_id
  on conflict (tenant_id, customer_id) do update set marked_at = excluded.marked_at where false;
  return null;
end $$;

create trigger agreement_invoices_inserted_mark_panel_stale after insert on agreement_invoices
  referencing new table as changed_links
  for each statement execute function agreement_invoices_mark_panel_stale_rows();
create trigger agreement_invoices_deleted_mark_panel_stale after delete on agreement_invoices
  referencing old table as changed_links
  for each statement execute function agreement_invoices_mark_panel_stale_rows();

create function agreement_invoice_updated_mark_panel_stale() returns trigger language plpgsql as $$
begin
  perform mark_panel_stale(i.tenant_id, i.customer_id)
  from invoices i
  where i.tenant_id = new.tenant_id and i.id in (old.invoice_id, new.invoice_id);
  return null;
end $$;

create trigger agreement_invoices_updated_mark_panel_stale
  after update of agreement_id, invoice_id on agreement_invoices
  for each row
  when ((old.agreement_id, old.invoice_id) is distinct from (new.agreement_id, new.invoice_id))
  execute function agreement_invoice_updated_mark_panel_stale();

-- An agreement coming into force (proposed, active) or leaving it (completed, lapsed, broken,
-- cancelled): the customers of the invoices it covers.
create function agreement_status_mark_panel_stale() returns trigger language plpgsql as $$
begin
  perform mark_panel_stale(i.tenant_id, i.customer_id)
  from agreement_invoices l
  join invoices i on i.tenant_id = l.tenant_id and i.id = l.invoice_id
  where l.tenant_id = new.tenant_id and l.agreement_id = new.id;
  return null;
end $$;

create trigger agreements_status_mark_panel_stale after update of status on agreements
  for each row
  when ((old.status in ('proposed', 'active')) is distinct from (new.status in ('proposed', 'active')))
  execute function agreement_status_mark_panel_stale();

-- what is owed before this migration is folded at the first refresh
insert into panel_stale_customers (tenant_id, customer_id)
select distinct tenant_id, customer_id from invoices where status = 'open' and amount_cents > paid_cents;
