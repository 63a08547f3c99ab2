-- Billing settings: what a tenant needs to issue its own payment documents (boleto and Pix), the
-- boleto "nosso número" each invoice carries, and indexes for payment reconciliation.

-- Boleto: the bank (3 digits) and the free field (25 digits) come from the tenant's agreement with
-- its bank. We lay the free field out as agency (4) + wallet (2) + nosso número (11) + account (7)
-- + "0", the layout Bradesco documents for its "campo livre"; other banks can be added later.
alter table tenants
  add column boleto_bank_code text check (boleto_bank_code ~ '^[0-9]{3}$'),
  add column boleto_agency text check (boleto_agency ~ '^[0-9]{4}$'),
  add column boleto_account text check (boleto_account ~ '^[0-9]{1,7}$'),
  add column boleto_wallet text not null default '09' check (boleto_wallet ~ '^[0-9]{2}$'),
  -- the next nosso número to hand out; allocated in blocks with `update … returning`
  add column boleto_next_our_number bigint not null default 1 check (boleto_next_our_number between 1 and 99999999999),
  -- Pix (BCB BR Code): the key and the merchant city (≤ 15 characters) of static payloads
  add column pix_key text check (length(pix_key) between 1 and 77),
  add column pix_merchant_city text check (length(pix_merchant_city) between 1 and 15),
  add column updated_at timestamptz not null default now();

alter table invoices
  add column our_number bigint check (our_number between 1 and 99999999999);
create unique index invoices_our_number on invoices (tenant_id, our_number) where our_number is not null;

-- Payments that could not be matched yet are looked up by the invoice id the payer sent.
create index payments_unmatched on payments (tenant_id, invoice_external_id) where invoice_id is null;

-- Contacts are read per customer (the régua picks a channel per debtor).
create index contacts_customer on contacts (tenant_id, customer_id);
