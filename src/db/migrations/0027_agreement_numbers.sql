-- Agreements are numbered per tenant ("Acordo nº 12"), the way operators name them on the phone
-- and in the dashboard, instead of by a uuid. A counter row per tenant keeps the last number
-- given: taking the next one updates (and locks) that row inside the proposal's transaction, so
-- two proposals at once get two numbers, and a proposal rolled back gives its number back. The
-- counter has a table of its own so that proposals never wait on the tenant row (boleto numbers).

create table agreement_counters (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  last_number integer not null
);

alter table agreements add column number integer;

update agreements a set number = n.number
from (
  select tenant_id, id, row_number() over (partition by tenant_id order by created_at, id) as number
  from agreements
) n
where a.tenant_id = n.tenant_id and a.id = n.id;

insert into agreement_counters (tenant_id, last_number)
select tenant_id, max(number) from agreements group by tenant_id;

-- Every way in (the service, fixtures) gets its number from the database itself.
create function agreements_take_number() returns trigger language plpgsql as $$
begin
  insert into agreement_counters as c (tenant_id, last_number) values (new.tenant_id, 1)
  on conflict (tenant_id) do update set last_number = c.last_number + 1
  returning c.last_number into new.number;
  return new;
end $$;

create trigger agreements_take_number before insert on agreements
  for each row when (new.number is null) execute function agreements_take_number();

alter table agreements alter column number set not null;
create unique index agreements_number on agreements (tenant_id, number);
