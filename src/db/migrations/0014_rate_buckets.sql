-- Token buckets shared by every process on one database, so that a limit holds however many API
-- servers and workers run: an API key's request rate, a tenant's sends per second to its
-- provider. A process leases a few tokens at a time (src/db/rate-buckets.ts), so a bucket's row is
-- written once per lease, not once per request.
--
-- Unlogged: the table is not worth a WAL write per lease, and after a crash of the server every
-- bucket starts full again, which is what an idle bucket is anyway.

create unlogged table rate_buckets (
  tenant_id uuid not null references tenants (id) on delete cascade,
  key text not null,
  tokens double precision not null,
  refilled_at timestamptz not null,
  primary key (tenant_id, key)
);

-- Refills the bucket for the time since it was last touched (by the server's clock, the same for
-- every process), grants up to `wanted` whole tokens and answers how many it granted and how many
-- are left. The row lock serialises processes leasing from one bucket at the same moment.
create function rate_bucket_lease(
  p_tenant_id uuid, p_key text, p_wanted integer, p_capacity double precision, p_per_second double precision
) returns table (granted integer, tokens_left double precision) language plpgsql as $$
declare
  stored double precision;
  last_refill timestamptz;
  available double precision;
  taken integer;
  refill_at timestamptz;
begin
  insert into rate_buckets (tenant_id, key, tokens, refilled_at)
  values (p_tenant_id, p_key, p_capacity, clock_timestamp())
  on conflict (tenant_id, key) do nothing;
  select b.tokens, b.refilled_at into stored, last_refill
  from rate_buckets b where b.tenant_id = p_tenant_id and b.key = p_key
  for update;
  -- read after the lock is held: a lease that waited refills from the one before it
  refill_at := clock_timestamp();
  available := least(p_capacity,
    stored + greatest(0, extract(epoch from refill_at - last_refill)) * p_per_second);
  taken := least(p_wanted, floor(available))::integer;
  update rate_buckets b set tokens = available - taken, refilled_at = refill_at
  where b.tenant_id = p_tenant_id and b.key = p_key;
  return query select taken, available - taken;
end $$;
