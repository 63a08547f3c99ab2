-- E-mail opens (docs/messages.md § Opens). An e-mail carries a 1×1 image at /o/{code}, a short-link
-- code of kind 'open' (no destination: it leads nowhere); loading it records the message's first
-- open. LGPD minimisation: only that instant is kept — no address, no user agent, no count.
alter table messages add column opened_at timestamptz;
alter table short_links drop constraint short_links_kind_check;
alter table short_links add constraint short_links_kind_check check (kind in ('link', 'optout', 'open'));
alter table short_links alter column url drop not null;
alter table short_links add constraint short_links_url_check check ((url is null) = (kind = 'open'));

-- A policy's segment may select invoices by score band, as a step's condition does (0032): the
-- same rule (src/modules/scores/score-bands.sql.ts) — empty is every invoice, and an invoice not
-- scored yet is in every band, so no invoice goes ungoverned because scoring has not run.
alter table policies add column segment_score_bands text[] not null default '{}'
  check (segment_score_bands <@ array['low', 'medium', 'high']::text[]);
