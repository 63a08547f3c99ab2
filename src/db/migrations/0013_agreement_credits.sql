-- A debtor with an agreement in force who pays the old boleto of an original invoice is paying the
-- agreement: the money is credited to its open installments, earliest due first, and the original's
-- settlement leaves that payment out (the payments table still keeps money received once, on the
-- invoice the payer named). If the agreement later breaks, the credits come back to the originals
-- with the other installment payments (agreement_imputations).

alter table payments add column credited_to_agreement_id uuid;
alter table payments add foreign key (tenant_id, credited_to_agreement_id) references agreements (tenant_id, id);

create table agreement_credits (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  agreement_id uuid not null,
  payment_id uuid not null,
  -- the installment's invoice
  invoice_id uuid not null,
  amount_cents bigint not null check (amount_cents > 0),
  -- the instant of the payment, so the installment counts as paid on that day
  paid_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, agreement_id) references agreements (tenant_id, id) on delete cascade,
  foreign key (tenant_id, payment_id) references payments (tenant_id, id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index agreement_credits_by_invoice on agreement_credits (tenant_id, invoice_id);
create index agreement_credits_by_agreement on agreement_credits (tenant_id, agreement_id);
