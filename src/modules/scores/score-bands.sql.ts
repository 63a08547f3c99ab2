import { type RawBuilder, sql } from "kysely";
import type { ScoreBand } from "../../domain/score-bands.ts";

/**
 * Whether an invoice falls in one of `bands` of its probability of payment (the bands are
 * src/domain/score-bands.ts; the stored band is invoice_scores.band, written by scoring). Empty
 * `bands` is every invoice; an invoice not scored yet is in every band, so the régua never goes
 * silent because scoring has not run. The one SQL form of the rule: a step's condition
 * (`conditions.scoreBands`, the planner) and a policy's segment (`segment.scoreBands`, the
 * governing policy) both read it.
 */
export function inScoreBands(
  tenantId: RawBuilder<unknown>,
  invoiceId: RawBuilder<unknown>,
  bands: RawBuilder<unknown> | readonly ScoreBand[],
): RawBuilder<boolean> {
  const set = Array.isArray(bands) ? sql`${bands}::text[]` : (bands as RawBuilder<unknown>);
  return sql<boolean>`(cardinality(${set}) = 0 or coalesce((
      select sc.band = any(${set}) from invoice_scores sc
      where sc.tenant_id = ${tenantId} and sc.invoice_id = ${invoiceId}), true))`;
}
