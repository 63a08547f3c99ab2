import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { ScoreBand } from "../../domain/score-bands.ts";
import { inScoreBands } from "../scores/score-bands.sql.ts";
import type { Policy } from "./policy.ts";

/**
 * The policy that governs an invoice `i` of customer `c` (contract `ct`, left-joined): the one
 * assigned to its contract, else to its customer, else the first active policy by priority whose
 * segment matches. The tenant's few policies are compiled into a CASE expression (cheaper than a
 * subquery per invoice); the assignment lookups are left out when the tenant has none. Shared by
 * the planner (src/modules/actions) and the standing applicator (src/modules/standing). A segment
 * by score band reads the band rule's one SQL form (src/modules/scores/score-bands.sql.ts).
 */
export interface PolicyMatcher {
  hasAssignments: boolean;
  /** Active policies, in priority order. */
  policies: {
    id: string;
    tags: string[];
    kind: "person" | "company" | null;
    minAmountCents: number | null;
    maxAmountCents: number | null;
    plans: string[];
    scoreBands: ScoreBand[];
  }[];
  /**
   * The tenant's agreement régua (src/modules/agreements): it governs every installment invoice
   * and is left out of `policies`; null while the tenant has made no agreement.
   */
  agreementPolicy?: { tenantId: string; policyId: string } | null;
}

/**
 * `forStanding`: the policy whose thresholds decide standing (warning, suspension, cancellation).
 * A policy segmented by score band is left out there: a model's estimate, which moves with every
 * rescoring, chooses which messages a debtor gets but never suspends or restores a service (LGPD
 * art. 20: no consequence decided by automated scoring alone); such a policy keeps the default
 * standing settings (ZPolicy refuses others).
 */
export function governingPolicy(
  matcher?: PolicyMatcher,
  options: { forStanding?: boolean } = {},
): RawBuilder<string> {
  if (!matcher) return genericGoverningPolicy(options.forStanding ?? false);
  const candidates = options.forStanding
    ? matcher.policies.filter((policy) => policy.scoreBands.length === 0)
    : matcher.policies;
  const branches = candidates.map((policy) => {
    const conditions = [sql`true`];
    if (policy.tags.length > 0) conditions.push(sql`c.tags && ${policy.tags}::text[]`);
    if (policy.kind) conditions.push(sql`c.kind = ${policy.kind}`);
    if (policy.minAmountCents !== null)
      conditions.push(sql`i.amount_cents >= ${policy.minAmountCents}::bigint`);
    if (policy.maxAmountCents !== null)
      conditions.push(sql`i.amount_cents <= ${policy.maxAmountCents}::bigint`);
    if (policy.plans.length > 0) conditions.push(sql`ct.plan = any(${policy.plans}::text[])`);
    if (policy.scoreBands.length > 0)
      conditions.push(inScoreBands(sql`i.tenant_id`, sql`i.id`, policy.scoreBands));
    return sql`when ${sql.join(conditions, sql` and `)} then ${policy.id}::uuid`;
  });
  const byPriority: RawBuilder<string> =
    branches.length > 0 ? sql<string>`case ${sql.join(branches, sql` `)} end` : sql<string>`null::uuid`;
  const ordinary: RawBuilder<string> = matcher.hasAssignments
    ? sql`coalesce(
          (select pa.policy_id from policy_assignments pa
            where pa.tenant_id = i.tenant_id and pa.contract_id = i.contract_id),
          (select pa.policy_id from policy_assignments pa
            where pa.tenant_id = i.tenant_id and pa.customer_id = i.customer_id),
          ${byPriority})`
    : byPriority;
  const agreements = matcher.agreementPolicy;
  if (!agreements) return ordinary;
  // installment invoices follow the agreement régua (an uncorrelated IN: one hashed lookup)
  return sql<string>`case when i.id in (select ai.invoice_id from agreement_installments ai
          where ai.tenant_id = ${agreements.tenantId}::uuid)
        then ${agreements.policyId}::uuid else ${ordinary} end`;
}

/** The same rule read from the policies table, for callers that did not load the policies. */
function genericGoverningPolicy(forStanding: boolean): RawBuilder<string> {
  return sql<string>`coalesce(
          (select s.policy_id from agreement_settings s join agreement_installments ai
            on ai.tenant_id = s.tenant_id and ai.invoice_id = i.id where s.tenant_id = i.tenant_id),
          (select pa.policy_id from policy_assignments pa
            where pa.tenant_id = i.tenant_id and pa.contract_id = i.contract_id),
          (select pa.policy_id from policy_assignments pa
            where pa.tenant_id = i.tenant_id and pa.customer_id = i.customer_id),
          (select p.id from policies p
            where p.tenant_id = i.tenant_id and p.active
              and (cardinality(p.segment_tags) = 0 or p.segment_tags && c.tags)
              and (p.segment_kind is null or p.segment_kind = c.kind)
              and (p.segment_min_amount_cents is null or i.amount_cents >= p.segment_min_amount_cents)
              and (p.segment_max_amount_cents is null or i.amount_cents <= p.segment_max_amount_cents)
              and (cardinality(p.segment_plans) = 0 or ct.plan = any(p.segment_plans))
              and ${forStanding ? sql`cardinality(p.segment_score_bands) = 0` : inScoreBands(sql`i.tenant_id`, sql`i.id`, sql`p.segment_score_bands`)}
              and p.id is distinct from (select s.policy_id from agreement_settings s where s.tenant_id = i.tenant_id)
            order by p.priority, p.name
            limit 1)
        )`;
}

/** What the SQL needs to find the policy of each invoice: the active policies in priority order. */
export async function loadPolicyMatcher(
  db: Executor,
  tenantId: string,
  policies: Policy[],
): Promise<PolicyMatcher> {
  const [assignment, agreements] = await Promise.all([
    db
      .selectFrom("policy_assignments")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("agreement_settings")
      .select("policy_id")
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst(),
  ]);
  const agreementPolicyId = agreements?.policy_id ?? null;
  return {
    hasAssignments: assignment !== undefined,
    agreementPolicy: agreementPolicyId ? { tenantId, policyId: agreementPolicyId } : null,
    policies: policies
      .filter((policy) => policy.active && policy.id !== agreementPolicyId)
      .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((policy) => ({ id: policy.id, ...policy.segment })),
  };
}
