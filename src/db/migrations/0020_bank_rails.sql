-- Bank rails (issue 16): the creditor's bank accounts, the boleto each invoice was issued on and
-- what the bank said of it, the CNAB files exchanged (remittances sent, returns received) with
-- every return record staged for set-based application, and the reconciliation queue of bank
-- payments that could not be applied on their own.

create table bank_accounts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  bank_code text not null check (bank_code in ('001', '033', '104', '237', '341', '748', '756')),
  layout text not null check (layout in ('cnab240', 'cnab400')),
  agency text not null check (agency ~ '^[0-9]{1,5}$'),
  agency_digit text not null default '' check (agency_digit ~ '^[0-9Xx]?$'),
  account text not null check (account ~ '^[0-9]{1,12}$'),
  account_digit text not null default '' check (account_digit ~ '^[0-9Xx]?$'),
  wallet text not null check (wallet ~ '^[0-9]{1,3}$'),
  -- convênio (BB), código do beneficiário (Santander, Caixa, Sicoob, Sicredi); '' where unused
  agreement_code text not null default '' check (agreement_code ~ '^[0-9]{0,20}$'),
  -- Sicredi's posto (2 digits); '' elsewhere
  station text not null default '' check (station ~ '^[0-9]{0,2}$'),
  -- the last remittance's sequence number (NSA); the next file takes this + 1
  remittance_sequence integer not null default 0 check (remittance_sequence >= 0),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index bank_accounts_default on bank_accounts (tenant_id) where is_default;

-- the account that issued the invoice's boleto, its our number as the bank writes it (check digit
-- included), and what the bank said of it; return files are matched on the number without its
-- leading zeros (banks pad it differently)
alter table invoices
  add column bank_account_id uuid,
  add column bank_our_number text,
  add column boleto_status text check (boleto_status in ('pending', 'registered', 'rejected', 'written_off')),
  add column boleto_status_reason text,
  -- what the last remittance told the bank (null: nothing yet), so the next one sends only changes
  add column boleto_sent_due_date date,
  add column boleto_write_off_sent boolean not null default false,
  add column boleto_protest_sent boolean not null default false,
  add foreign key (tenant_id, bank_account_id) references bank_accounts (tenant_id, id);
create unique index invoices_bank_our_number on invoices (tenant_id, bank_account_id, bank_our_number)
  where bank_our_number is not null;
create index invoices_bank_our_number_lookup on invoices (tenant_id, (ltrim(bank_our_number, '0')))
  where bank_our_number is not null;

create table bank_files (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  direction text not null check (direction in ('remittance', 'return')),
  layout text not null check (layout in ('cnab240', 'cnab400')),
  bank_code text not null,
  bank_account_id uuid,
  sha256 text not null,
  file_sequence integer,
  record_count integer not null default 0,
  problem_count integer not null default 0,
  -- remittances: the file itself, to download again
  content text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, direction, sha256),
  foreign key (tenant_id, bank_account_id) references bank_accounts (tenant_id, id)
);

-- every record of a return file, staged in bulk and applied by one set-based pass
create table bank_file_records (
  tenant_id uuid not null,
  file_id uuid not null,
  line integer not null,
  -- bank + our number + occurrence code + occurrence date + amounts: the same movement in another
  -- file (a bank resending a day) is recognised and not applied twice
  idempotency_key text not null,
  our_number text not null,
  occurrence_code text not null,
  event text not null check (event in ('registered', 'rejected', 'paid', 'written_off', 'due_date_changed', 'protested', 'other')),
  reasons text not null default '',
  amount_cents bigint not null default 0,
  paid_cents bigint not null default 0,
  interest_cents bigint not null default 0,
  discount_cents bigint not null default 0,
  rebate_cents bigint not null default 0,
  fee_cents bigint not null default 0,
  occurred_on date,
  credited_on date,
  payer_document text not null default '',
  invoice_id uuid,
  -- applied: changed Régua · duplicate: an earlier file had it · queued: sent to reconciliation ·
  -- noted: informative (other codes)
  outcome text not null default 'staged' check (outcome in ('staged', 'applied', 'duplicate', 'queued', 'noted')),
  primary key (tenant_id, file_id, line),
  foreign key (tenant_id, file_id) references bank_files (tenant_id, id) on delete cascade
);
create unique index bank_file_records_applied on bank_file_records (tenant_id, idempotency_key)
  where outcome <> 'duplicate' and outcome <> 'staged';

create table reconciliation_items (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  file_id uuid not null,
  line integer not null,
  reason text not null check (reason in ('unknown_boleto', 'amount_mismatch', 'already_paid', 'invoice_not_open')),
  our_number text not null,
  payer_document text not null default '',
  paid_cents bigint not null,
  paid_on date not null,
  -- the invoice the our number named, when it named one
  invoice_id uuid,
  status text not null default 'open' check (status in ('open', 'matched', 'split', 'refund')),
  decided_at timestamptz,
  decided_by text,
  -- the payments the decision recorded: [{"invoiceId", "amountCents", "paymentExternalId"}]
  allocations jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, file_id, line),
  foreign key (tenant_id, file_id) references bank_files (tenant_id, id)
);
create index reconciliation_items_open on reconciliation_items (tenant_id, created_at) where status = 'open';
