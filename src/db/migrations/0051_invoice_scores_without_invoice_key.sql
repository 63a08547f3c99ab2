-- Scoring writes a score for every open invoice at once (a million on a large portfolio), and the
-- foreign key from invoice_scores to invoices checked each row on its own: a lookup of the invoice
-- and a lock on its row, which cost more than half the scoring. The scores are derived from the
-- invoices by the statement that reads them (writeScores), so the key adds nothing on insert;
-- what it did beyond that, dropping an invoice's score with the invoice, a statement trigger does.
alter table invoice_scores drop constraint invoice_scores_tenant_id_invoice_id_fkey;

create or replace function invoices_drop_scores_rows() returns trigger language plpgsql as $$
begin
  delete from invoice_scores s
  using changed_invoices i
  where s.tenant_id = i.tenant_id and s.invoice_id = i.id;
  return null;
end $$;

create trigger invoices_deleted_drop_scores
  after delete on invoices
  referencing old table as changed_invoices
  for each statement execute function invoices_drop_scores_rows();
