-- The customer timeline reads, per customer, the régua's actions not (yet) sent and every group
-- membership, past ones included: indexes by customer so a long history stays a small read.
create index dunning_actions_unsent_by_customer on dunning_actions (tenant_id, customer_id)
  where status in ('planned', 'skipped');
create index customer_group_members_history on customer_group_members (tenant_id, customer_id);
