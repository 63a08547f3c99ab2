-- Wrong dashboard passwords, counted per account (the e-mail) and per client IP within a tenant,
-- as the portal counts its identity checks: at the limit the key is locked for a while and every
-- sign-in through it, right or wrong, is refused until then (src/modules/operators/sign-in-throttle.ts).
create table operator_sign_in_attempts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  scope text not null check (scope in ('account', 'ip')),
  key text not null,
  failures integer not null default 0,
  window_started_at timestamptz not null,
  locked_until timestamptz,
  primary key (tenant_id, scope, key)
);
