import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { addDays, formatBrazilianDate, todayIn } from "../../domain/dates.ts";
import { meanUplift, proportionUplift, sampleSizePerArm } from "../../domain/experiment-stats.ts";
import { campaignsText as t } from "../../i18n/pt-BR/campaigns.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import { parseInput } from "../../shared/validation.ts";
import { previewAgreement, previewAgreements, proposeAgreement } from "../agreements/agreement.service.ts";
import type { Agreement, AgreementActor, AgreementPreview, TPlanTerms } from "../agreements/agreement.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { contactSlots } from "../policies/contact-slots.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  campaignArmRows,
  findCampaign,
  findOffer,
  findOpenOfferInvoices,
  insertCampaign,
  insertOfferInvoices,
  insertOffers,
  listCampaignRows,
  markAccepted,
  selectInvoices,
} from "./campaign.repository.ts";
import type { CampaignRow } from "./campaign.table.ts";
import {
  type Campaign,
  type CampaignChannel,
  type CampaignCreated,
  type CampaignOfferTerms,
  type CampaignResults,
  type CampaignSelection,
  type TCreateCampaign,
  ZCreateCampaign,
} from "./campaign.ts";
import { offerGroupKey } from "./campaign-message.ts";

/** An offer is valid for at most this many days: the agreement's first payment follows acceptance. */
const MAX_VALID_DAYS = 60;
/** Customers whose plans are previewed in one batch (see createCampaign): their debts are one read. */
const PREVIEWS_AT_ONCE = 2000;
/** The effect a campaign's holdout is sized for: 5 percentage points of customers paying. */
const DETECTABLE_EFFECT = 0.05;

export function campaignOf(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    selection: row.selection as CampaignSelection,
    offer: row.terms as CampaignOfferTerms,
    channels: row.channels as Campaign["channels"],
    validUntil: row.valid_until,
    holdoutPercent: row.holdout_bps / 100,
    createdOn: row.created_on,
  };
}

/** The agreement terms an offer makes (first payment: the default). */
function offerTerms(terms: CampaignOfferTerms): Omit<TPlanTerms, "invoiceIds"> {
  return {
    installments: terms.installments,
    principalDiscountBps: terms.principalDiscountBps,
    waiveFine: terms.waiveFine,
    waiveInterest: terms.waiveInterest,
  };
}

/** The agreement terms an offer makes of a customer's invoices. */
function planTerms(terms: CampaignOfferTerms, invoiceIds: string[]): TPlanTerms {
  return { ...offerTerms(terms), invoiceIds };
}

/** An agreements error beside the campaign form's field, with its human label. */
function asOfferError(error: AppError): AppError {
  const field = error.field ?? "invoiceIds";
  const label = t.termLabels[field] ?? t.termLabels.installments!;
  const reason = error.message.replace(/^[A-Za-z.]+: /, "");
  const campaignField =
    field === "invoiceIds"
      ? "selection"
      : `offer.${field === "downPaymentCents" || field === "monthlyInterestBps" || field === "firstDueDate" ? "installments" : field}`;
  return validationError(campaignField, t.limitRefused(label, reason));
}

/**
 * Creates a campaign and sends its offers. The selection is read set-based from the open debt; the
 * customers' plans are checked in batches through the agreements' preview under the author's
 * limits (`previewAgreements`, the one rule for terms), and customers the terms do not fit are left out, with the reason — when none
 * fits, the campaign is refused beside the field at fault. The eligible are assigned an arm by the
 * experiments' stable hash and recorded; the offer arm's messages are planned in each debtor's
 * contact hours, one per channel, and the dispatcher sends them like any other.
 */
export async function createCampaign(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TCreateCampaign,
  actor: AgreementActor,
  clock: Clock,
): Promise<CampaignCreated> {
  const valid = parseInput(ZCreateCampaign, input);
  const now = clock.now();
  const today = todayIn(tenant.timeZone, now);
  if (valid.validUntil <= today) {
    throw validationError("validUntil", t.validUntilPast(formatBrazilianDate(today)));
  }
  if (valid.validUntil > addDays(today, MAX_VALID_DAYS)) {
    throw validationError("validUntil", t.validUntilFar(formatBrazilianDate(addDays(today, MAX_VALID_DAYS))));
  }
  const timer = stepTimer("createCampaign");
  if (valid.selection.groupId) await requireGroup(db, tenant.id, valid.selection.groupId);
  const selected = await selectInvoices(
    db,
    tenant.id,
    valid.selection,
    today,
    overdueCutoffOf(tenant, today),
  );
  const byCustomer = new Map<string, { invoiceIds: string[]; balance: Map<string, number> }>();
  for (const row of selected) {
    const entry = byCustomer.get(row.customer_id) ?? {
      invoiceIds: [] as string[],
      balance: new Map<string, number>(),
    };
    entry.invoiceIds.push(row.invoice_id);
    entry.balance.set(row.invoice_id, row.balance_cents);
    byCustomer.set(row.customer_id, entry);
  }
  if (byCustomer.size === 0) throw validationError("selection", t.nothingMatched);
  timer.step("selection");

  const eligible: { customerId: string; invoiceIds: string[]; debtCents: number }[] = [];
  const excluded: { customerId: string; reason: string }[] = [];
  let firstRefusal: AppError | null = null;
  // every customer's plan through the agreements' one rule, a batch at a time: the limits read
  // once, the debts of the batch in one read, each plan checked in memory
  const customers = [...byCustomer];
  for (let start = 0; start < customers.length; start += PREVIEWS_AT_ONCE) {
    const batch = customers.slice(start, start + PREVIEWS_AT_ONCE);
    const previews = await previewAgreements(
      db,
      tenant,
      {
        offers: batch.map(([customerId, entry]) => ({ customerId, invoiceIds: entry.invoiceIds })),
        terms: offerTerms(valid.offer),
        actor,
      },
      clock,
    );
    for (const [customerId, entry] of batch) {
      const preview = previews.get(customerId)!;
      if (preview instanceof AppError) {
        if (preview.code !== "validation_failed") throw preview;
        const refusal = asOfferError(preview);
        firstRefusal ??= refusal;
        excluded.push({ customerId, reason: refusal.message });
      } else {
        eligible.push({ customerId, invoiceIds: entry.invoiceIds, debtCents: preview.debt.totalCents });
      }
    }
  }
  timer.step("plans");
  if (eligible.length === 0) throw firstRefusal!;
  const debtCents = eligible.reduce((sum, entry) => sum + entry.debtCents, 0);
  const summary = { matched: byCustomer.size, eligible: eligible.length, excluded, debtCents };
  if (valid.dryRun) return { campaign: null, ...summary, offered: 0, holdout: 0, actions: 0 };

  return db.transaction().execute(async (trx) => {
    const row = await insertCampaign(trx, {
      tenant_id: tenant.id,
      name: valid.name,
      selection: valid.selection,
      terms: valid.offer,
      actor,
      channels: valid.channels,
      valid_until: valid.validUntil,
      holdout_bps: Math.round(valid.holdoutPercent * 100),
      created_on: today,
      // the injected clock's instant: recovery counts payments from it
      created_at: now,
    });
    const arms = await insertOffers(trx, tenant.id, row, eligible);
    await insertOfferInvoices(
      trx,
      eligible.flatMap((entry) =>
        entry.invoiceIds.map((invoiceId) => ({
          tenant_id: tenant.id,
          campaign_id: row.id,
          customer_id: entry.customerId,
          invoice_id: invoiceId,
        })),
      ),
    );
    const offered = new Set(arms.filter((arm) => arm.arm === "offer").map((arm) => arm.customer_id));
    const actions = await planOfferMessages(
      trx,
      tenant,
      row,
      eligible
        .filter((entry) => offered.has(entry.customerId))
        .map((entry) => ({
          ...entry,
          balance: byCustomer.get(entry.customerId)!.balance,
        })),
      now,
    );
    return {
      campaign: campaignOf(row),
      ...summary,
      offered: offered.size,
      holdout: arms.length - offered.size,
      actions,
    };
  });
}

async function requireGroup(db: Executor, tenantId: string, groupId: string): Promise<void> {
  const group = await db
    .selectFrom("customer_groups")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", groupId)
    .executeTakeFirst();
  if (!group) throw validationError("selection.groupId", t.groupNotFound);
}

/**
 * The offer's planned actions: per offered customer, invoice and channel, in the customer's first
 * contact slot; one message per customer and channel (the group key), rendered with the offer's
 * link. Contact eligibility and the skips are the dispatcher's, as for every message.
 */
async function planOfferMessages(
  trx: Executor,
  tenant: Tenant,
  campaign: CampaignRow,
  offered: { customerId: string; invoiceIds: string[]; balance: Map<string, number> }[],
  now: Date,
): Promise<number> {
  if (offered.length === 0) return 0;
  const slotFor = await contactSlots(trx, tenant, now);
  const customers = await trx
    .selectFrom("customers")
    .select(["id", "address_state", "time_zone"])
    .where("tenant_id", "=", tenant.id)
    // one array parameter: a campaign may offer to more customers than a statement takes parameters
    .where(sql<boolean>`id = any(${offered.map((entry) => entry.customerId)}::uuid[])`)
    .execute();
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const values = [];
  for (const entry of offered) {
    const customer = byId.get(entry.customerId)!;
    const slot = slotFor(customer.address_state, customer.time_zone);
    if (!slot) continue;
    for (const channel of campaign.channels as CampaignChannel[]) {
      for (const invoiceId of entry.invoiceIds) {
        values.push({
          tenant_id: tenant.id,
          invoice_id: invoiceId,
          customer_id: entry.customerId,
          policy_id: campaign.id,
          step_id: campaign.id,
          step_name: `campanha: ${campaign.name}`,
          offset_days: 0,
          channel,
          template: `${channel}.campaign-offer`,
          group_key: offerGroupKey(campaign.id, entry.customerId, channel),
          status: "planned" as const,
          skip_reason: null,
          planned_on: campaign.created_on,
          send_on: slot.sendOn,
          scheduled_for: slot.scheduledFor,
          send_until: slot.sendUntil,
          amount_cents: entry.balance.get(invoiceId) ?? 0,
        });
      }
    }
  }
  for (let start = 0; start < values.length; start += 2000) {
    await trx
      .insertInto("dunning_actions")
      .values(values.slice(start, start + 2000))
      .execute();
  }
  return values.length;
}

export async function listCampaigns(db: Executor, tenantId: string): Promise<Campaign[]> {
  return (await listCampaignRows(db, tenantId)).map(campaignOf);
}

export async function getCampaign(db: Executor, tenantId: string, id: string): Promise<CampaignRow> {
  const row = await findCampaign(db, tenantId, id);
  if (!row) throw new AppError("not_found", t.notFound(id));
  return row;
}

/** Where a debtor's offer stands on the portal. */
export type OfferState =
  | { kind: "open"; campaign: CampaignRow; preview: AgreementPreview; input: AcceptInput }
  | { kind: "accepted"; campaign: CampaignRow; agreementId: string }
  | { kind: "expired"; campaign: CampaignRow }
  | { kind: "unavailable"; campaign: CampaignRow };

interface AcceptInput {
  customerId: string;
  terms: TPlanTerms;
  actor: AgreementActor;
}

/**
 * A customer's offer as of today: accepted already, expired (past its date), unavailable (nothing
 * left to agree on, or terms that no longer fit) or open with the agreement it would make,
 * previewed by the agreements' use case under the campaign author's limits. Not found for a holdout
 * customer or another customer's campaign.
 */
export async function offerState(
  db: Kysely<Database>,
  tenant: Tenant,
  campaignId: string,
  customerId: string,
  clock: Clock,
): Promise<OfferState> {
  const campaign = await findCampaign(db, tenant.id, campaignId);
  const offer = campaign ? await findOffer(db, tenant.id, campaignId, customerId) : undefined;
  if (!campaign || !offer || offer.arm !== "offer") throw new AppError("not_found", t.portal.notFound);
  if (offer.agreement_id) return { kind: "accepted", campaign, agreementId: offer.agreement_id };
  if (todayIn(tenant.timeZone, clock.now()) > campaign.valid_until) return { kind: "expired", campaign };
  const invoiceIds = await findOpenOfferInvoices(db, tenant.id, campaignId, customerId);
  if (invoiceIds.length === 0) return { kind: "unavailable", campaign };
  const input = {
    customerId,
    terms: planTerms(campaign.terms as CampaignOfferTerms, invoiceIds),
    actor: campaign.actor as AgreementActor,
  };
  try {
    return { kind: "open", campaign, preview: await previewAgreement(db, tenant, input, clock), input };
  } catch (error) {
    if (error instanceof AppError && error.code === "validation_failed")
      return { kind: "unavailable", campaign };
    throw error;
  }
}

/**
 * The debtor accepts: the agreement is proposed through the agreements' use case (the same as any
 * agreement, checked again on the day) and recorded on the offer.
 */
export async function acceptOffer(
  db: Kysely<Database>,
  tenant: Tenant,
  state: Extract<OfferState, { kind: "open" }>,
  clock: Clock,
): Promise<Agreement> {
  const agreement = await proposeAgreement(db, tenant, state.input, clock);
  await markAccepted(db, tenant.id, state.campaign.id, state.input.customerId, agreement.id, clock.now());
  return agreement;
}

/**
 * The campaign's results now: per arm the customers, their debt, acceptances and what was recovered;
 * with a holdout, the uplift of the offer in the rate of customers paying and in the amount per
 * customer, each with its 95% interval (the experiments' statistics), and the sample-size note.
 */
export async function campaignResults(
  db: Executor,
  tenant: Tenant,
  id: string,
  clock: Clock,
): Promise<CampaignResults> {
  const row = await getCampaign(db, tenant.id, id);
  const rows = await campaignArmRows(db, tenant.id, row);
  const arms = rows.map((arm) => ({
    arm: arm.arm,
    customers: arm.customers,
    debtCents: arm.debt_cents,
    accepted: arm.accepted,
    recovered: arm.recovered,
    recoveryRate: arm.customers > 0 ? arm.recovered / arm.customers : 0,
    recoveredCents: arm.recovered_cents,
    recoveredShare: arm.debt_cents > 0 ? arm.recovered_cents / arm.debt_cents : 0,
  }));
  const offer = rows.find((arm) => arm.arm === "offer");
  const holdout = rows.find((arm) => arm.arm === "holdout");
  let uplift: CampaignResults["uplift"] = null;
  if (offer && holdout) {
    const baseRate = holdout.customers > 0 ? holdout.recovered / holdout.customers : 0.5;
    const neededPerArm = sampleSizePerArm(baseRate, DETECTABLE_EFFECT);
    const smaller = Math.min(offer.customers, holdout.customers);
    uplift = {
      rate: proportionUplift(
        { n: holdout.customers, successes: holdout.recovered },
        { n: offer.customers, successes: offer.recovered },
      ),
      amountPerCustomerCents: meanUplift(
        { n: holdout.customers, sum: holdout.recovered_cents, sumOfSquares: holdout.recovered_cents_squares },
        { n: offer.customers, sum: offer.recovered_cents, sumOfSquares: offer.recovered_cents_squares },
      ),
      neededPerArm,
      note: smaller >= neededPerArm ? t.enough(neededPerArm) : t.notEnough(smaller, neededPerArm),
    };
  }
  return { campaign: campaignOf(row), measuredAt: clock.now(), arms, uplift };
}
