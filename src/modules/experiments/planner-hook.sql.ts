import { type RawBuilder, sql } from "kysely";

/**
 * The planner's two experiment conditions (src/modules/actions/planner.sql.ts calls both), kept
 * here so the planner stays about planning. Both read only the recorded assignments of running
 * experiments; with none, they change nothing.
 */

/**
 * The policy of invoice `i`: a customer in the variant arm of a running experiment whose control is
 * the policy that would govern the invoice gets the variant policy instead.
 */
export function experimentPolicy(tenantId: string, governing: RawBuilder<string>): RawBuilder<string> {
  return sql<string>`coalesce((select e.variant_policy_id from experiment_assignments ea
      join experiments e on e.tenant_id = ea.tenant_id and e.id = ea.experiment_id
      where ea.tenant_id = ${tenantId}::uuid and ea.customer_id = i.customer_id and ea.arm = 'variant'
        and e.status = 'running' and e.variant_policy_id is not null and e.control_policy_id = ${governing}
      limit 1), ${governing})`;
}

/** Customers held out of a running experiment: their messages are skipped as 'experiment_holdout'. */
export function heldOutCustomers(tenantId: string): RawBuilder<unknown> {
  return sql`(select ea.customer_id from experiment_assignments ea
      join experiments e on e.tenant_id = ea.tenant_id and e.id = ea.experiment_id
      where ea.tenant_id = ${tenantId}::uuid and ea.arm = 'holdout' and e.status = 'running')`;
}
