-- A settlement marks its customers for the panel's rollup once per customer, not once per invoice,
-- as migration 0049 does for standing: the statement that writes settlements (updateSettlements
-- in src/modules/invoices/invoice.repository.ts) marks the customers of the rows it changes in
-- panel_stale_customers itself, in the same statement, while regua.settlement_marks_customers is
-- on; the row trigger of migration 0044 leaves those rows to it and marks every other write.
create or replace trigger invoices_updated_mark_panel_stale
  after update of status, amount_cents, paid_cents, due_date, customer_id on invoices
  for each row
  when (((old.status = 'open' and old.amount_cents > old.paid_cents)
      or (new.status = 'open' and new.amount_cents > new.paid_cents))
    and (old.status, old.amount_cents, old.paid_cents, old.due_date, old.customer_id)
      is distinct from (new.status, new.amount_cents, new.paid_cents, new.due_date, new.customer_id)
    and current_setting('regua.settlement_marks_customers', true) is distinct from 'on')
  execute function invoice_updated_mark_panel_stale();
