-- The recovery report's rollup (docs/effectiveness.md § Recovery metrics; the rule in
-- src/modules/attribution/attribution.sql.ts). The report read every message of the period with
-- the actions of its group and every payment's last touch on each request: 86 s p95 over 5,000,000
-- messages. Now the attribution is kept as facts per touch (a message × an action of its group) and
-- per credited payment, and summed per tenant's day; the report reads only the daily sums.
--
-- The hot paths (recording a message, its click or open, every payment path, scoring, a customer's
-- segment) write nothing here but one row in recovery_stale, from the triggers below: the customer
-- whose attribution must be computed again. The refresh (a worker tick, and before each read of
-- the report) takes the stale customers set-based, in short transactions of its own.

-- No foreign key to tenants: deleting a tenant cascades to its messages, whose trigger marks their
-- customers after the tenant is gone (the refresh of a tenant without messages only clears them).
create table recovery_stale (
  tenant_id uuid not null,
  customer_id uuid not null,
  primary key (tenant_id, customer_id)
);

-- One row per touch: a message that left (sent or delivered) × an action of its group that was
-- sent, with the groupings as they were at the refresh. `since_on[g + 1]` is, for the grouping g
-- (a bit set: 1 policy, 2 step, 4 channel, 8 phase), the tenant's day of the invoice's previous
-- touch in the same group ('-infinity' for the first): an invoice counts once per group and period,
-- at its first touch in the period, so at a touch whose previous one is before the period.
create table recovery_touches (
  tenant_id uuid not null references tenants (id) on delete cascade,
  action_id uuid not null,
  customer_id uuid not null,
  invoice_id uuid not null,
  message_id uuid not null,
  sent_at timestamptz not null,
  sent_on date not null,
  segment text not null,
  band text not null,
  policy_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null,
  amount_cents bigint not null,
  own boolean not null,
  cost_cents bigint not null,
  clicked boolean not null,
  opened boolean not null,
  since_on date[] not null,
  primary key (tenant_id, action_id)
);
create index recovery_touches_customer on recovery_touches (tenant_id, customer_id);
create index recovery_touches_sent_on on recovery_touches (tenant_id, sent_on);

-- One row per payment with a last touch: the touch's groupings, the smallest window (whole days)
-- that credits it, and the tenant's days from the message to the payment.
create table recovery_credits (
  tenant_id uuid not null references tenants (id) on delete cascade,
  payment_id uuid not null,
  customer_id uuid not null,
  invoice_id uuid not null,
  action_id uuid not null,
  sent_on date not null,
  segment text not null,
  band text not null,
  policy_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null,
  window_days integer not null,
  days_to_pay integer not null,
  paid_cents bigint not null,
  primary key (tenant_id, payment_id)
);
create index recovery_credits_customer on recovery_credits (tenant_id, customer_id);
create index recovery_credits_sent_on on recovery_credits (tenant_id, sent_on);

-- The daily sums the report reads: messages of each action's own group, invoices per grouping at
-- their first touch (with the day of the previous one), and credited payments by window and days.
create table recovery_message_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  sent_on date not null,
  segment text not null,
  band text not null,
  policy_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null,
  messages bigint not null,
  cost_cents bigint not null,
  clicks bigint not null,
  opens bigint not null,
  primary key (tenant_id, sent_on, segment, band, policy_id, step_name, offset_days, channel)
);

create table recovery_invoice_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  grouping smallint not null,
  sent_on date not null,
  since_on date not null,
  segment text not null,
  band text not null,
  policy_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null,
  invoices bigint not null,
  due_cents bigint not null,
  primary key (tenant_id, grouping, sent_on, since_on, segment, band, policy_id, step_name, offset_days, channel)
);

create table recovery_credit_days (
  tenant_id uuid not null references tenants (id) on delete cascade,
  sent_on date not null,
  segment text not null,
  band text not null,
  policy_id uuid not null,
  step_name text not null,
  offset_days integer not null,
  channel text not null,
  window_days integer not null,
  days_to_pay integer not null,
  payments bigint not null,
  recovered_cents bigint not null,
  primary key (tenant_id, sent_on, segment, band, policy_id, step_name, offset_days, channel, window_days, days_to_pay)
);

-- Marking. Row triggers fire only when a figure of the report can change (WHEN), statement
-- triggers read their rows once (transition tables): a bank file's thousand payments are one insert.
create function recovery_mark_new_customer() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id) values (new.tenant_id, new.customer_id)
  on conflict do nothing;
  return null;
end $$;

create function recovery_mark_old_customer() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id) values (old.tenant_id, old.customer_id)
  on conflict do nothing;
  return null;
end $$;

create function recovery_mark_inserted_sent() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'messages' then
    insert into recovery_stale (tenant_id, customer_id)
    select distinct tenant_id, customer_id from inserted where state in ('sent', 'delivered')
    on conflict do nothing;
  else
    insert into recovery_stale (tenant_id, customer_id)
    select distinct tenant_id, customer_id from inserted where status in ('sent', 'delivered')
    on conflict do nothing;
  end if;
  return null;
end $$;

create trigger messages_recovery_insert after insert on messages
  referencing new table as inserted for each statement execute function recovery_mark_inserted_sent();
create trigger messages_recovery_update after update of state, sent_at, cost_cents, clicked_at, opened_at,
  channel, group_key, customer_id on messages for each row
  when ((old.state in ('sent', 'delivered')) is distinct from (new.state in ('sent', 'delivered'))
    or (new.state in ('sent', 'delivered') and (old.sent_at, old.cost_cents, old.clicked_at, old.opened_at,
      old.channel, old.group_key, old.customer_id) is distinct from (new.sent_at, new.cost_cents,
      new.clicked_at, new.opened_at, new.channel, new.group_key, new.customer_id)))
  execute function recovery_mark_new_customer();
create trigger messages_recovery_delete after delete on messages for each row
  when (old.state in ('sent', 'delivered')) execute function recovery_mark_old_customer();

create trigger dunning_actions_recovery_insert after insert on dunning_actions
  referencing new table as inserted for each statement execute function recovery_mark_inserted_sent();
create trigger dunning_actions_recovery_update after update of status, amount_cents, group_key, policy_id,
  step_name, offset_days, invoice_id on dunning_actions for each row
  when ((old.status in ('sent', 'delivered')) is distinct from (new.status in ('sent', 'delivered'))
    or (new.status in ('sent', 'delivered') and (old.amount_cents, old.group_key, old.policy_id,
      old.step_name, old.offset_days, old.invoice_id) is distinct from (new.amount_cents, new.group_key,
      new.policy_id, new.step_name, new.offset_days, new.invoice_id)))
  execute function recovery_mark_new_customer();

-- a payment marks the customer of its invoice (the API, CSV, gateway, bank file and Pix paths all
-- insert into payments)
create function recovery_mark_paid_customers() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id)
  select distinct i.tenant_id, i.customer_id
  from inserted p join invoices i on i.tenant_id = p.tenant_id and i.id = p.invoice_id
  on conflict do nothing;
  return null;
end $$;

create function recovery_mark_payment_change() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id)
  select i.tenant_id, i.customer_id from invoices i
  where (tg_op <> 'INSERT' and i.tenant_id = old.tenant_id and i.id = old.invoice_id)
    or (tg_op <> 'DELETE' and i.tenant_id = new.tenant_id and i.id = new.invoice_id)
  on conflict do nothing;
  return null;
end $$;

create trigger payments_recovery_insert after insert on payments
  referencing new table as inserted for each statement execute function recovery_mark_paid_customers();
create trigger payments_recovery_update after update of invoice_id, amount_cents, paid_at on payments
  for each row when ((old.invoice_id, old.amount_cents, old.paid_at) is distinct from
    (new.invoice_id, new.amount_cents, new.paid_at))
  execute function recovery_mark_payment_change();
create trigger payments_recovery_delete after delete on payments
  for each row execute function recovery_mark_payment_change();

-- the segment is the customer's kind
create function recovery_mark_customer_itself() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id) values (new.tenant_id, new.id) on conflict do nothing;
  return null;
end $$;
create trigger customers_recovery_kind after update of kind on customers for each row
  when (old.kind is distinct from new.kind) execute function recovery_mark_customer_itself();

-- the band is the invoice's last score: scoring writes every open invoice at once
create function recovery_mark_banded() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into recovery_stale (tenant_id, customer_id)
    select distinct tenant_id, customer_id from changed_scores
    on conflict do nothing;
  else
    insert into recovery_stale (tenant_id, customer_id)
    select distinct n.tenant_id, n.customer_id
    from changed_scores n join previous_scores o on o.tenant_id = n.tenant_id and o.invoice_id = n.invoice_id
    where o.band is distinct from n.band
    on conflict do nothing;
  end if;
  return null;
end $$;
create trigger invoice_scores_recovery_insert after insert on invoice_scores
  referencing new table as changed_scores for each statement execute function recovery_mark_banded();
create trigger invoice_scores_recovery_update after update on invoice_scores
  referencing old table as previous_scores new table as changed_scores
  for each statement execute function recovery_mark_banded();
create trigger invoice_scores_recovery_delete after delete on invoice_scores
  for each row execute function recovery_mark_old_customer();

-- the days are the tenant's: another time zone moves every touch
create function recovery_mark_tenant() returns trigger language plpgsql as $$
begin
  insert into recovery_stale (tenant_id, customer_id)
  select distinct tenant_id, customer_id from recovery_touches where tenant_id = new.id
  on conflict do nothing;
  return null;
end $$;
create trigger tenants_recovery_time_zone after update of time_zone on tenants for each row
  when (old.time_zone is distinct from new.time_zone) execute function recovery_mark_tenant();

-- what was sent before this migration is computed at the first refresh
insert into recovery_stale (tenant_id, customer_id)
select distinct tenant_id, customer_id from messages where state in ('sent', 'delivered');
