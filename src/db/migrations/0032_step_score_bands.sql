-- A step of the régua may be limited to invoices whose probability of payment falls in some bands
-- (invoice_scores.band: low < 30% ≤ medium < 60% ≤ high), e.g. a phone task only for the unlikely
-- payers. Empty means every band; an invoice not scored yet gets the step (the régua never goes
-- silent because scoring has not run).
alter table policy_steps add column score_bands text[] not null default '{}'
  check (score_bands <@ array['low', 'medium', 'high']::text[]);
