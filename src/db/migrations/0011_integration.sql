-- Integration: what provider callbacks are checked with, invoice.overdue announced once per
-- invoice, an e-mail step that carries the debtor's letter as a PDF, and the idempotency keys'
-- purge. Secrets in these tables are stored sealed (AES-256-GCM, src/shared/secret-box.ts).

-- WhatsApp Cloud API: the app secret signs each webhook (X-Hub-Signature-256) and the verify
-- token answers Meta's subscription handshake; Zenvia: a token its subscription sends back in a
-- header, since Zenvia does not sign its webhooks.
alter table messaging_settings
  add column whatsapp_app_secret text,
  add column whatsapp_verify_token text,
  add column sms_callback_token text;

-- The day invoice.overdue was announced for the invoice (null: not yet). Invoices already past due
-- when this migration runs count as announced, so that upgrading does not flood endpoints with
-- history.
alter table invoices add column overdue_announced_on date;
update invoices set overdue_announced_on = due_date + 1 where status = 'open' and due_date < current_date;
create index invoices_overdue_unannounced on invoices (tenant_id, due_date)
  where status = 'open' and overdue_announced_on is null;

-- An e-mail step may attach the debtor's letter (debts, typeable line, ITF-25 barcode, Pix QR).
alter table policy_steps add column attach_letter boolean not null default false;

-- The worker deletes expired idempotency keys in one statement.
create index idempotency_keys_created on idempotency_keys (created_at);

-- Tags on invoices too (customers have theirs since 0001): `GET /v1/invoices?tag=` matches either.
alter table invoices add column tags text[] not null default '{}';
