-- A settlement marks its customers' standing stale once per customer, not once per invoice.
--
-- The row trigger of migration 0045 ran a function for each invoice whose status or paid amount
-- moved: a return file of 100,000 paid boletos called it 100,000 times (over 20,000 customers)
-- inside the statement that settles them, several seconds of the file's import. A statement-level
-- trigger with transition tables would mark once per customer, but PostgreSQL allows no column
-- list on such a trigger: it would copy every row of every update of invoices (the remittance's,
-- the overdue announcement's) to compare them.
--
-- So the statement that writes settlements (updateSettlements in
-- src/modules/invoices/invoice.repository.ts, the one writer of status and paid amount after a
-- payment, an agreement's credit or a payment moved) marks the customers of the rows it changes
-- itself, set-based, in the same statement, and says so for its own duration by the
-- transaction-local setting regua.settlement_marks_customers = 'on'. The row trigger stays for
-- every other write (the API, cancellations, renegotiations, new due dates, another customer),
-- and for that statement too whenever the setting is not on.
create or replace trigger invoices_updated_mark_standing_stale
  after update of status, amount_cents, paid_cents, due_date, customer_id, contract_id on invoices
  for each row
  when ((old.status, old.amount_cents, old.paid_cents, old.due_date, old.customer_id, old.contract_id)
    is distinct from (new.status, new.amount_cents, new.paid_cents, new.due_date, new.customer_id, new.contract_id)
    and current_setting('regua.settlement_marks_customers', true) is distinct from 'on')
  execute function invoice_updated_mark_standing_stale();
