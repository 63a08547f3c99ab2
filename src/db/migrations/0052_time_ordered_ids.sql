-- Time-ordered ids (UUID version 7, RFC 9562) for the tables written in bulk: the day's actions,
-- messages and events, their webhook deliveries, imported customers, contacts and invoices, and
-- payments. A random id (version 4) puts each new row's primary-key entry on a random page of the
-- index; once the index outgrows memory every insert reads and dirties a page of its own. The
-- daily run of 10,000,000 invoices wrote its 541,302 actions in 37 s with random ids and 28 s with
-- these (docs/scale.md). A version-7 id starts with the millisecond of its making, so a statement's
-- rows share the index's last pages; the 74 bits after it stay random, so ids are still unguessable
-- (and every read is scoped by tenant besides). PostgreSQL 18 has uuidv7(); this is the same
-- layout for the versions and the embedded database Régua runs on.
create or replace function uuid_v7() returns uuid language sql volatile parallel safe as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
        from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

alter table dunning_actions alter column id set default uuid_v7();
alter table messages alter column id set default uuid_v7();
alter table domain_events alter column id set default uuid_v7();
alter table webhook_deliveries alter column id set default uuid_v7();
alter table standing_transitions alter column id set default uuid_v7();
alter table customers alter column id set default uuid_v7();
alter table contacts alter column id set default uuid_v7();
alter table invoices alter column id set default uuid_v7();
alter table payments alter column id set default uuid_v7();
