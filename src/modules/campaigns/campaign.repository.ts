import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inHoldout } from "../experiments/assignment.sql.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import type { CampaignArm, CampaignOfferRow, CampaignRow } from "./campaign.table.ts";
import type { CampaignSelection } from "./campaign.ts";

export interface SelectedInvoice {
  customer_id: string;
  invoice_id: string;
  balance_cents: number;
}

/**
 * The overdue invoices a selection chooses, set-based over the open-debt relation (the one home of
 * what is owed and overdue): owed directly (no installment, not covered by an agreement in force),
 * not disputed, of a customer not anonymised; days overdue within the range; scored in one of the
 * bands (when any are asked for); of a current member of the group (when one is asked for); and of
 * a customer whose open balance on those invoices is within the amount range.
 */
export async function selectInvoices(
  db: Executor,
  tenantId: string,
  selection: CampaignSelection,
  today: string,
  overdueCutoff: string,
): Promise<SelectedInvoice[]> {
  const bands =
    selection.scoreBands.length > 0
      ? sql`and exists (select 1 from invoice_scores s where s.tenant_id = o.tenant_id and s.invoice_id = o.id
          and s.band = any(${selection.scoreBands}::text[]))`
      : sql``;
  const group = selection.groupId
    ? sql`and exists (select 1 from customer_group_members m where m.tenant_id = o.tenant_id
          and m.customer_id = o.customer_id and m.group_id = ${selection.groupId}::uuid and m.removed_at is null)`
    : sql``;
  const result = await sql<SelectedInvoice>`
    with chosen as (
      select o.tenant_id, o.customer_id, o.id as invoice_id, o.balance_cents
      from ${openInvoicesRelation(tenantId, overdueCutoff, { onlyOverdue: true })} o
      join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
      where c.anonymized_at is null and o.overdue and not o.disputed
        and not exists (select 1 from agreement_installments ai where ai.tenant_id = o.tenant_id and ai.invoice_id = o.id)
        and ${today}::date - o.due_date >= ${selection.daysOverdueFrom}::int
        and ${today}::date - o.due_date <= ${selection.daysOverdueTo ?? 1_000_000}::int
        ${bands} ${group}
    ),
    customers_in_range as (
      select tenant_id, customer_id from chosen group by tenant_id, customer_id
      having sum(balance_cents) >= ${selection.amountFromCents ?? 0}::bigint
        and sum(balance_cents) <= ${selection.amountToCents ?? Number.MAX_SAFE_INTEGER}::bigint
    )
    select ch.customer_id, ch.invoice_id, ch.balance_cents::bigint as balance_cents
    from chosen ch
    join customers_in_range r on r.tenant_id = ch.tenant_id and r.customer_id = ch.customer_id
    order by ch.customer_id, ch.invoice_id`.execute(db);
  return result.rows.map((row) => ({ ...row, balance_cents: Number(row.balance_cents) }));
}

export async function insertCampaign(db: Executor, values: Omit<CampaignRow, "id">): Promise<CampaignRow> {
  return db
    .insertInto("campaigns")
    .values({
      ...values,
      selection: JSON.stringify(values.selection),
      terms: JSON.stringify(values.terms),
      actor: JSON.stringify(values.actor),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Records each eligible customer's offer, in the holdout or the offer arm by the experiments'
 * stable hash of (campaign, customer): the same customer lands in the same arm however often the
 * assignment is computed.
 */
export async function insertOffers(
  db: Executor,
  tenantId: string,
  campaign: CampaignRow,
  offers: { customerId: string; debtCents: number }[],
): Promise<{ customer_id: string; arm: CampaignArm }[]> {
  if (offers.length === 0) return [];
  const result = await sql<{ customer_id: string; arm: CampaignArm }>`
    insert into campaign_offers (tenant_id, campaign_id, customer_id, arm, debt_cents)
    select ${tenantId}::uuid, ${campaign.id}::uuid, x.customer_id,
      case when ${inHoldout(sql`${campaign.id}::uuid`, sql`x.customer_id`, sql`${campaign.holdout_bps}::int`)}
        then 'holdout' else 'offer' end,
      x.debt_cents
    from unnest(${offers.map((offer) => offer.customerId)}::uuid[], ${offers.map((offer) => offer.debtCents)}::bigint[])
      as x(customer_id, debt_cents)
    returning customer_id, arm`.execute(db);
  return result.rows;
}

export async function insertOfferInvoices(
  db: Executor,
  rows: { tenant_id: string; campaign_id: string; customer_id: string; invoice_id: string }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    await db
      .insertInto("campaign_offer_invoices")
      .values(rows.slice(start, start + 2000))
      .execute();
  }
}

export async function findCampaign(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<CampaignRow | undefined> {
  return db
    .selectFrom("campaigns")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listCampaignRows(db: Executor, tenantId: string): Promise<CampaignRow[]> {
  return db
    .selectFrom("campaigns")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .execute();
}

export async function findCampaignsByIds(
  db: Executor,
  tenantId: string,
  ids: string[],
): Promise<CampaignRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("campaigns")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .execute();
}

export async function findOffer(
  db: Executor,
  tenantId: string,
  campaignId: string,
  customerId: string,
): Promise<CampaignOfferRow | undefined> {
  return db
    .selectFrom("campaign_offers")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("campaign_id", "=", campaignId)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
}

/** The offer's invoices still open (paid or renegotiated ones drop out of what is accepted). */
export async function findOpenOfferInvoices(
  db: Executor,
  tenantId: string,
  campaignId: string,
  customerId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("campaign_offer_invoices as ci")
    .innerJoin("invoices as i", (join) =>
      join.onRef("i.tenant_id", "=", "ci.tenant_id").onRef("i.id", "=", "ci.invoice_id"),
    )
    .select("ci.invoice_id")
    .where("ci.tenant_id", "=", tenantId)
    .where("ci.campaign_id", "=", campaignId)
    .where("ci.customer_id", "=", customerId)
    .where("i.status", "=", "open")
    .orderBy("i.due_date")
    .execute();
  return rows.map((row) => row.invoice_id);
}

export async function markAccepted(
  db: Executor,
  tenantId: string,
  campaignId: string,
  customerId: string,
  agreementId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("campaign_offers")
    .set({ agreement_id: agreementId, accepted_at: now })
    .where("tenant_id", "=", tenantId)
    .where("campaign_id", "=", campaignId)
    .where("customer_id", "=", customerId)
    .execute();
}

export interface CampaignArmRow {
  arm: CampaignArm;
  customers: number;
  debt_cents: number;
  accepted: number;
  recovered: number;
  recovered_cents: number;
  recovered_cents_squares: number;
}

/**
 * Per arm: customers, the debt they owed when the campaign began, acceptances, and what was paid
 * since then on the invoices the offer covered or on the installments of the agreement accepted —
 * per customer, so that the interval of the amount per customer has its sum of squares.
 */
export async function campaignArmRows(
  db: Executor,
  tenantId: string,
  campaign: CampaignRow,
): Promise<CampaignArmRow[]> {
  const result = await sql<CampaignArmRow>`
    with paid as (
      select co.tenant_id, co.customer_id, coalesce(sum(p.amount_cents), 0)::bigint as cents
      from campaign_offers co
      join payments p on p.tenant_id = co.tenant_id and p.paid_at >= ${campaign.created_at}::timestamptz
        and (p.invoice_id in (select ci.invoice_id from campaign_offer_invoices ci
               where ci.tenant_id = co.tenant_id and ci.campaign_id = co.campaign_id and ci.customer_id = co.customer_id)
          or p.invoice_id in (select ai.invoice_id from agreement_installments ai
               where ai.tenant_id = co.tenant_id and ai.agreement_id = co.agreement_id))
      where co.tenant_id = ${tenantId}::uuid and co.campaign_id = ${campaign.id}::uuid
      group by co.tenant_id, co.customer_id
    )
    select co.arm, count(*)::int as customers, sum(co.debt_cents)::bigint as debt_cents,
      count(co.agreement_id)::int as accepted,
      count(*) filter (where coalesce(pd.cents, 0) > 0)::int as recovered,
      coalesce(sum(pd.cents), 0)::bigint as recovered_cents,
      coalesce(sum(pd.cents::float8 * pd.cents::float8), 0)::float8 as recovered_cents_squares
    from campaign_offers co
    left join paid pd on pd.tenant_id = co.tenant_id and pd.customer_id = co.customer_id
    where co.tenant_id = ${tenantId}::uuid and co.campaign_id = ${campaign.id}::uuid
    group by co.arm
    order by co.arm desc`.execute(db);
  return result.rows.map((row) => ({
    arm: row.arm,
    customers: Number(row.customers),
    debt_cents: Number(row.debt_cents),
    accepted: Number(row.accepted),
    recovered: Number(row.recovered),
    recovered_cents: Number(row.recovered_cents),
    recovered_cents_squares: Number(row.recovered_cents_squares),
  }));
}
