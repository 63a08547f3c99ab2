-- A return file's payment leaves its invoice paid. The status is in the list indexes, so that
-- update cannot be heap-only: it writes a new entry in every index of the table the new row
-- belongs to. Two of them served the bank's our number: the unique one per account and the lookup
-- by the number without its leading zeros (how a return file names a boleto). One index now does
-- both: unique per account on the number as a return reads it, which is also the stricter rule
-- (two boletos of one account differing only in leading zeros would match the same return
-- record). A return's match finds its invoices by tenant, the accounts of the file's bank and that
-- number; the remittance by tenant and account. Each paid invoice writes one index entry less.
create unique index invoices_bank_our_number_by_account on invoices
  (tenant_id, bank_account_id, (ltrim(bank_our_number, '0'))) where bank_our_number is not null;
drop index invoices_bank_our_number;
drop index invoices_bank_our_number_lookup;
alter index invoices_bank_our_number_by_account rename to invoices_bank_our_number;
