-- Pix through the BCB standard Pix API (issue 16 parts 4 and 6): the tenant's PSP settings, the
-- charges with a due date (cobv) Régua created for its invoices, every Pix the PSP reported
-- (webhook or the GET /pix sweep; one row per endToEndId, so a notification twice is a no-op),
-- their refunds (devoluções), and Pix Automático recurrences and their charges (cobr).
-- Secrets (client secret, private key) are stored sealed (src/shared/secret-box.ts).

create table pix_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  base_url text not null,
  token_url text not null,
  client_id text not null,
  client_secret text not null,
  certificate_pem text not null,
  private_key_pem text not null,
  ca_pem text,
  receiver_key text not null,
  days_valid_after_due integer not null default 30 check (days_valid_after_due between 0 and 3650),
  -- Pix Automático: may the payer's PSP retry a failed charge (up to 3 more times in 7 days)?
  recurrence_retry_policy text not null default 'NAO_PERMITE'
    check (recurrence_retry_policy in ('NAO_PERMITE', 'PERMITE_3R_7D')),
  -- the random token in the public webhook URL that names this tenant (never its slug)
  webhook_token text not null unique,
  webhook_registered_at timestamptz,
  swept_until timestamptz,
  updated_at timestamptz not null default now()
);

create table pix_charges (
  tenant_id uuid not null references tenants (id) on delete cascade,
  txid text not null check (txid ~ '^[a-zA-Z0-9]{26,35}$'),
  invoice_id uuid not null,
  -- CobrancaStatus: ATIVA, CONCLUIDA, REMOVIDA_PELO_USUARIO_RECEBEDOR, REMOVIDA_PELO_PSP
  status text not null,
  location text not null,
  pix_copy_paste text,
  amount_cents bigint not null,
  due_date date not null,
  revision integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, txid),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);
create unique index pix_charges_invoice on pix_charges (tenant_id, invoice_id);
create index pix_charges_active on pix_charges (tenant_id) where status = 'ATIVA';

create table pix_received (
  tenant_id uuid not null references tenants (id) on delete cascade,
  end_to_end_id text not null,
  txid text,
  amount_cents bigint not null,
  paid_at timestamptz not null,
  payer_info text,
  -- 'webhook' or 'sweep': how it reached Régua
  source text not null,
  payment_id uuid,
  received_at timestamptz not null,
  primary key (tenant_id, end_to_end_id)
);

create table pix_refunds (
  tenant_id uuid not null references tenants (id) on delete cascade,
  end_to_end_id text not null,
  refund_id text not null,
  rtr_id text not null,
  amount_cents bigint not null,
  status text not null,
  nature text,
  requested_at timestamptz,
  settled_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, end_to_end_id, refund_id),
  foreign key (tenant_id, end_to_end_id) references pix_received (tenant_id, end_to_end_id) on delete cascade
);

create table pix_recurrences (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  contract_id uuid not null,
  customer_id uuid not null,
  -- the PSP's idRec (29 characters), known once the PSP created the recurrence
  rec_id text,
  -- 'authorise' (QR of the recurrence, JORNADA_2) or 'pay_then_authorise' (QR of a cobv + the
  -- recurrence, JORNADA_4)
  journey text not null check (journey in ('authorise', 'pay_then_authorise')),
  retry_policy text not null check (retry_policy in ('NAO_PERMITE', 'PERMITE_3R_7D')),
  -- RecStatus: CRIADA, APROVADA, REJEITADA, EXPIRADA, CANCELADA
  status text not null,
  location text,
  pix_copy_paste text,
  first_invoice_id uuid,
  end_code text,
  end_reason text,
  fallback_notified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, contract_id) references contracts (tenant_id, id) on delete cascade
);
create unique index pix_recurrences_rec_id on pix_recurrences (tenant_id, rec_id) where rec_id is not null;
create unique index pix_recurrences_live on pix_recurrences (tenant_id, contract_id)
  where status in ('CRIADA', 'APROVADA');

create table pix_recurring_charges (
  tenant_id uuid not null references tenants (id) on delete cascade,
  txid text not null check (txid ~ '^[a-zA-Z0-9]{26,35}$'),
  recurrence_id uuid not null,
  invoice_id uuid not null,
  -- CobRStatus: CRIADA, ATIVA, CONCLUIDA, EXPIRADA, REJEITADA, CANCELADA
  status text not null,
  due_date date not null,
  amount_cents bigint not null,
  end_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, txid),
  foreign key (tenant_id, recurrence_id) references pix_recurrences (tenant_id, id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);
create unique index pix_recurring_charges_invoice on pix_recurring_charges (tenant_id, invoice_id);
