-- The daily planner reads the open invoices due on a handful of dates (the days its steps fall on):
-- a few rows on nearly every page of the table. With the columns it needs in the index it reads
-- them from the index alone (an index-only scan on a vacuumed table) instead of visiting those
-- pages. The index replaces the narrower one of the same key and predicate, under the same name,
-- so invoices keep the same number of indexes to maintain.
create index invoices_open_due_covering on invoices (tenant_id, due_date)
  include (id, customer_id, contract_id, amount_cents, paid_cents)
  where status = 'open';
drop index invoices_open_due;
alter index invoices_open_due_covering rename to invoices_open_due;
