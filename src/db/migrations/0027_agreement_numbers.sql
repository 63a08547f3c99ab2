-- Agreements are numbered per tenant ("Acordo nº 12"), the way operators name them on the phone
-- and in the dashboard, instead of by a uuid. The tenant row keeps the last number given: taking
-- the next one updates (and locks) that row inside the proposal's transaction, so two proposals at
-- once get two numbers, and a proposal rolled back gives its number back.

alter table tenants add column agreements_numbered integer not null default 0;
alter table agreements add column number integer;

update agreements a set number = n.number
from (
  select tenant_id, id, row_number() over (partition by tenant_id order by created_at, id) as number
  from agreements
) n
where a.tenant_id = n.tenant_id and a.id = n.id;

update tenants t set agreements_numbered = coalesce(
  (select max(a.number) from agreements a where a.tenant_id = t.id), 0);

-- Every way in (the service, fixtures, imports) gets its number from the database itself.
create function agreements_take_number() returns trigger language plpgsql as $$
begin
  update tenants set agreements_numbered = agreements_numbered + 1 where id = new.tenant_id
    returning agreements_numbered into new.number;
  return new;
end $$;

create trigger agreements_take_number before insert on agreements
  for each row when (new.number is null) execute function agreements_take_number();

alter table agreements alter column number set not null;
create unique index agreements_number on agreements (tenant_id, number);
