-- The recovery report (src/modules/reports/recovery.sql.ts) reads the messages that left in a
-- period and, for each, the actions of its group: without these it scans every message and every
-- action of the tenant, which for a month (the panel's "recuperado no mês" tile) on a large
-- portfolio is the whole history. Partial: only what left counts.
create index messages_sent_at on messages (tenant_id, sent_at)
  where state in ('sent', 'delivered');
create index dunning_actions_sent_group on dunning_actions (tenant_id, group_key)
  where status in ('sent', 'delivered');
