-- Messages: the tenant's own templates, its channel settings, one message per group of planned
-- actions with its delivery state, short links with clicks, the capture transport's store and
-- the analysts' work queue.

-- A tenant's version of a template; names without a row use Régua's default (in code).
create table message_templates (
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (name ~ '^(email|sms|whatsapp|letter|task)\.[a-z0-9][a-z0-9+\-.]{0,58}$'),
  channel text not null check (channel in ('email', 'sms', 'whatsapp', 'letter', 'task')),
  subject text,
  body text not null,
  whatsapp_template text,
  whatsapp_language text,
  whatsapp_parameters text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name),
  check (split_part(name, '.', 1) = channel)
);

-- Which providers a tenant sends through. Absent row or null provider: the capture transport
-- (demo and development), or SMTP_URL for e-mail when the process has one.
create table messaging_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  email_from text,
  smtp_url text,
  email_per_second integer not null default 50 check (email_per_second > 0),
  sms_provider text check (sms_provider in ('zenvia', 'twilio')),
  sms_base_url text,
  -- Zenvia: the sender id ("from") and API token; Twilio: account SID, auth token and from number
  sms_account text,
  sms_token text,
  sms_from text,
  sms_price_cents integer not null default 9 check (sms_price_cents >= 0),
  sms_max_segments integer not null default 3 check (sms_max_segments between 1 and 10),
  sms_per_second integer not null default 100 check (sms_per_second > 0),
  whatsapp_base_url text,
  whatsapp_version text not null default 'v21.0',
  whatsapp_phone_number_id text,
  whatsapp_token text,
  whatsapp_price_cents integer not null default 35 check (whatsapp_price_cents >= 0),
  whatsapp_per_second integer not null default 20 check (whatsapp_per_second > 0),
  updated_at timestamptz not null default now()
);

-- One message per group of planned actions (the group's first action id is its idempotency key):
-- written as 'sending' before the provider is called, so that after a crash a restart knows the
-- send may have happened and asks the provider's idempotency instead of sending blindly.
create table messages (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  action_id uuid not null,
  group_key text not null,
  customer_id uuid not null,
  contact_id uuid,
  channel text not null check (channel in ('email', 'sms', 'whatsapp', 'letter', 'task')),
  template text not null,
  state text not null check (state in ('queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'skipped')),
  reason text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  recipient text,
  provider text,
  provider_message_id text,
  cost_cents integer not null default 0,
  segments integer,
  subject text,
  body text,
  -- the data the message was rendered from (letters are re-drawn from it)
  data jsonb,
  sent_at timestamptz,
  delivered_at timestamptz,
  clicked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, action_id),
  -- one message per group of actions (customer, step, channel, day)
  unique (tenant_id, group_key)
);
create index messages_due on messages (next_attempt_at) where state in ('queued', 'sending');
create index messages_provider_id on messages (provider, provider_message_id) where provider_message_id is not null;
create index messages_customer on messages (tenant_id, customer_id, created_at);

-- The dispatcher reads and closes the planned actions of a message's group.
create index dunning_actions_group on dunning_actions (tenant_id, group_key) where status = 'planned';

-- Short links in messages: /l/{code} counts the click and redirects; an opt-out link (kind
-- 'optout') instead asks to confirm, and a POST to it (RFC 8058 one-click) opts the contact out.
create table short_links (
  code text primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  message_id uuid,
  kind text not null default 'link' check (kind in ('link', 'optout')),
  contact_id uuid,
  url text not null,
  clicks integer not null default 0,
  first_clicked_at timestamptz,
  created_at timestamptz not null default now()
);

-- What the capture transport "sent": rendered messages kept to be looked at.
create table captured_messages (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  message_id uuid,
  channel text not null,
  recipient text not null,
  subject text,
  text text not null,
  html text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

-- The analysts' work queue: a task step ("call the customer") lands here.
create table analyst_tasks (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  message_id uuid not null,
  customer_id uuid not null,
  title text not null,
  description text not null,
  status text not null default 'open' check (status in ('open', 'done')),
  due_on date not null,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, message_id)
);
create index analyst_tasks_open on analyst_tasks (tenant_id, due_on) where status = 'open';
