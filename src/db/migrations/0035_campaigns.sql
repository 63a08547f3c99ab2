-- Campaigns for aged debt (issue 17, part 4): an operator chooses overdue debts (by days overdue,
-- amount, score band or group), offers pre-approved agreement terms within the tenant's limits until
-- a date, and sends the offer through the régua's message pipeline with a portal link to it. Each
-- customer chosen gets one offer row, in the 'offer' or the 'holdout' arm (a stable hash, recorded);
-- the invoices it covers are kept apart, so that what was paid on them — or on the installments of
-- the agreement the debtor accepted — measures the campaign against its holdout.

create table campaigns (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  -- the selection as the operator asked for it (days overdue, amounts, bands, group)
  selection jsonb not null,
  -- the agreement terms offered (installments, discount, waivers), checked against the limits of
  -- the actor who made the campaign, who is recorded as the agreement's author on acceptance
  terms jsonb not null,
  actor jsonb not null,
  channels text[] not null check (channels <@ array['email', 'sms', 'whatsapp']::text[] and cardinality(channels) > 0),
  valid_until date not null,
  holdout_bps integer not null check (holdout_bps between 0 and 5000),
  created_on date not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table campaign_offers (
  tenant_id uuid not null,
  campaign_id uuid not null,
  customer_id uuid not null,
  arm text not null check (arm in ('offer', 'holdout')),
  -- the debt of the day the offer was made on (what the holdout's recovery is compared with)
  debt_cents bigint not null,
  agreement_id uuid,
  accepted_at timestamptz,
  primary key (tenant_id, campaign_id, customer_id),
  foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade,
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, agreement_id) references agreements (tenant_id, id)
);

create index campaign_offers_customer on campaign_offers (tenant_id, customer_id);

create table campaign_offer_invoices (
  tenant_id uuid not null,
  campaign_id uuid not null,
  customer_id uuid not null,
  invoice_id uuid not null,
  primary key (tenant_id, campaign_id, invoice_id),
  foreign key (tenant_id, campaign_id, customer_id)
    references campaign_offers (tenant_id, campaign_id, customer_id) on delete cascade,
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
