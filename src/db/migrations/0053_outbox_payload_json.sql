-- The outbox keeps each event's payload as the JSON text it was written in (json), not parsed into
-- jsonb. Nothing queries inside a payload: the fan-out copies it whole into each delivery (turning
-- it into jsonb there, only for tenants with an endpoint, off the writer's transaction), and the
-- LGPD export reads it back as it is. Parsing into jsonb was most of the cost of writing events: a
-- return file of 100,000 paid boletos writes 100,000 `invoice.paid` of about 1 KB in its own
-- transaction, and a chunk of 5,000 took 90–150 ms to parse and insert as jsonb against about
-- 50 ms as json (docs/bank-files.md). The writers that build payloads in SQL (the overdue
-- announcement, standing changes, the régua's webhook steps) build json (json_build_object), which
-- is also quicker than jsonb: 200,000 overdue payloads in 0.62–0.67 s rather than 0.88–1.07 s.
alter table domain_events alter column payload type json using payload::json;
