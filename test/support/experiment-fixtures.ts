import { sql } from "kysely";
import type { Executor } from "../../src/db/database.ts";

/**
 * Plants an experiment's effect: of each arm's invoices, exactly `tenths[arm]` in ten are paid in
 * full at `paidAt`, every tenth chosen by its place in the arm. Counting places rather than hashing
 * random ids keeps the planted rates exact, so a test of the interval cannot fail by chance.
 */
export async function payShareOfEachArm(
  db: Executor,
  tenantId: string,
  paidAt: string,
  tenths: { control: number; holdout: number },
): Promise<void> {
  await sql`
    with ranked as (
      select i.id, ea.arm, row_number() over (partition by ea.arm order by i.external_id) as place
      from invoices i
      join experiment_assignments ea on ea.tenant_id = i.tenant_id and ea.customer_id = i.customer_id
      where i.tenant_id = ${tenantId}::uuid)
    update invoices i set status = 'paid', paid_cents = i.amount_cents, paid_at = ${paidAt}::timestamptz
    from ranked r
    where r.id = i.id and i.tenant_id = ${tenantId}::uuid
      and r.place % 10 < case r.arm when 'holdout' then ${tenths.holdout}::int else ${tenths.control}::int end`.execute(
    db,
  );
}
