import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { buildPlan, checkPlanTerms, imputePayments, toleranceCutoff } from "../../domain/agreement-plan.ts";
import { formatBrazilianDate, type IsoDate, todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { findInvoiceById, insertInvoice } from "../invoices/invoice.repository.ts";
import {
  amountDue,
  BOLETO_MAX_CENTS,
  invoiceFromRow,
  refreshSettlements,
  SettlementLoader,
} from "../invoices/invoice.service.ts";
import { canIssueBoleto, generatePaymentDocuments } from "../invoices/payment-documents.ts";
import { refreshStandingForCustomer } from "../standing/standing.service.ts";
import { reserveOurNumbers } from "../tenants/tenant.repository.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishEvent } from "../webhooks/webhook.service.ts";
import {
  findAgreementIdOfInstallment,
  findAgreementRow,
  findAgreementRows,
  findInstallmentPayments,
  findInstallmentsOf,
  findInvoicesInForce,
  findLifecycleCandidates,
  findOpenInstallments,
  findOriginalInvoiceIds,
  type InstallmentView,
  insertAgreement,
  insertAgreementLinks,
  insertCredits,
  insertImputations,
  lockAgreement,
  lockAgreementInForceOfOriginal,
  markPaymentCredited,
  updateAgreementStatus,
} from "./agreement.repository.ts";
import type { AgreementRow } from "./agreement.table.ts";
import type {
  Agreement,
  AgreementActor,
  AgreementFilter,
  AgreementInstallment,
  AgreementSimulation,
  DebtBreakdown,
  PlanOption,
  PlanTerms,
  TPlanTerms,
} from "./agreement.ts";
import { ensureAgreementPolicy, getAgreementSettings } from "./agreement-settings.ts";
import {
  actorLimits,
  calendarOf,
  checkTerms,
  defaultFirstDueDate,
  loadDebt,
  planRequest,
  requireCustomer,
  todayOf,
} from "./agreement-terms.ts";

export { previewAgreement, previewAgreements } from "./agreement-terms.ts";

/** Installment counts a simulation offers, when they fit the actor's limits and the minimum amount. */
export const SIMULATED_INSTALLMENTS = [2, 3, 6, 10, 12, 18, 24, 36, 48];

function actorLabel(actor: AgreementActor): string {
  return actor.kind === "portal" ? `portal:${actor.customerId}` : `${actor.kind}:${actor.id}`;
}

function optionOf(debt: DebtBreakdown, terms: PlanTerms, firstDueDate: IsoDate): PlanOption {
  const normalized = {
    ...terms,
    monthlyInterestBps: terms.installments === 0 ? 0 : terms.monthlyInterestBps,
  };
  const plan = buildPlan(debt, planRequest(normalized), firstDueDate);
  return {
    terms: { ...normalized, firstDueDate },
    concessionCents: plan.concessionCents,
    totalCents: plan.totalCents,
    schedule: plan.schedule,
  };
}

/**
 * The plans an actor may offer on a customer's debt: settlement at once with the tenant's
 * discount (and fine and interest waived when the actor may), then 2, 3, 6, 10, 12… installments
 * with the tenant's plan interest, those within the actor's limits and minimum installment.
 */
export async function simulateAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  input: { customerId: string; invoiceIds?: string[] | undefined; actor: AgreementActor },
  clock: Clock,
): Promise<AgreementSimulation> {
  await requireCustomer(db, tenant.id, input.customerId, input.actor);
  const settings = await getAgreementSettings(db, tenant.id);
  const limits = actorLimits(settings, input.actor);
  const today = todayOf(tenant, clock);
  const debt = await loadDebt(db, tenant, input.customerId, input.invoiceIds, today);
  const firstDueDate = defaultFirstDueDate(tenant, today);
  const dayOfMonth = Math.min(Number(firstDueDate.slice(8, 10)), 28);
  const invoiceIds = debt.invoices.map((invoice) => invoice.invoiceId);
  const options: PlanOption[] = [];
  if (debt.totalCents > 0) {
    const base = {
      invoiceIds,
      downPaymentCents: 0,
      dayOfMonth,
      firstDueDate,
      waiveFine: false,
      waiveInterest: false,
      principalDiscountBps: 0,
      monthlyInterestBps: settings.defaultMonthlyInterestBps,
    };
    options.push(
      optionOf(
        debt,
        {
          ...base,
          installments: 0,
          waiveFine: limits.mayWaiveFine && debt.fineCents > 0,
          waiveInterest: limits.mayWaiveInterest && debt.interestCents > 0,
          principalDiscountBps: Math.max(limits.settlementDiscountBps, 0),
        },
        firstDueDate,
      ),
    );
    for (const count of SIMULATED_INSTALLMENTS) {
      if (count > limits.maxInstallments) break;
      const option = optionOf(debt, { ...base, installments: count }, firstDueDate);
      const plan = buildPlan(debt, planRequest(option.terms), firstDueDate);
      if (checkPlanTerms(debt, planRequest(option.terms), plan, limits).length > 0) break;
      options.push(option);
    }
  }
  return {
    debt,
    limits: {
      maxPrincipalDiscountBps: limits.maxPrincipalDiscountBps,
      mayWaiveFine: limits.mayWaiveFine,
      mayWaiveInterest: limits.mayWaiveInterest,
      maxInstallments: limits.maxInstallments,
      minInstallmentCents: limits.minInstallmentCents,
      settlementDiscountBps: limits.settlementDiscountBps,
      monthlyInterestBps: limits.monthlyInterestBps,
    },
    options,
  };
}

/**
 * Proposes an agreement: checks the terms against the actor's limits (an AppError naming the
 * field), issues one invoice per payment of the schedule (each with its boleto and Pix), links the
 * original invoices — which leave the régua while the agreement is in force — and publishes
 * `agreement.proposed`. Atomic: all of it or nothing.
 */
export async function proposeAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  input: { customerId: string; terms: TPlanTerms; actor: AgreementActor },
  clock: Clock,
): Promise<Agreement> {
  const { terms, invoiceIds, firstDueDate, today, debt, request, plan } = await checkTerms(
    db,
    tenant,
    input,
    clock,
  );
  await ensureAgreementPolicy(db, tenant.id);
  const canBoleto =
    canIssueBoleto(tenant) && plan.schedule.every((payment) => payment.amountCents <= BOLETO_MAX_CENTS);
  const firstOurNumber = canBoleto ? await reserveOurNumbers(db, tenant.id, plan.schedule.length) : null;
  const now = clock.now();
  const id = await db.transaction().execute(async (trx) => {
    // lock the originals so that two proposals on the same invoice cannot both pass
    const locked = await trx
      .selectFrom("invoices")
      .select(["id", "status", "consumer"])
      .where("tenant_id", "=", tenant.id)
      .where("id", "in", invoiceIds)
      .forUpdate()
      .execute();
    if (locked.some((row) => row.status !== "open")) {
      throw validationError(
        "invoiceIds",
        "invoiceIds: uma das faturas deixou de estar em aberto; simule de novo",
      );
    }
    const inForce = await findInvoicesInForce(trx, tenant.id, invoiceIds);
    if (inForce.length > 0) {
      throw validationError("invoiceIds", `invoiceIds: a fatura ${inForce[0]} já está em um acordo em vigor`);
    }
    const agreement = await insertAgreement(trx, {
      tenant_id: tenant.id,
      customer_id: input.customerId,
      created_by: actorLabel(input.actor),
      debt: JSON.stringify(debt),
      terms: JSON.stringify({
        ...terms,
        invoiceIds,
        firstDueDate,
        monthlyInterestBps: request.monthlyInterestBps,
      }),
      concession_cents: plan.concessionCents,
      total_cents: plan.totalCents,
      created_at: now,
    });
    // the debtor reads these on the invoices: the agreement by the day it was made, not an id
    const made = `Acordo de ${formatBrazilianDate(todayIn(tenant.timeZone, now))}`;
    const consumer = locked.some((row) => row.consumer);
    const installments: { number: number; invoiceId: string; dueDate: string; amountCents: number }[] = [];
    for (const [index, payment] of plan.schedule.entries()) {
      const externalId = `acordo-${agreement.id}-${String(payment.number).padStart(2, "0")}`;
      const ourNumber = firstOurNumber === null ? null : firstOurNumber + index;
      const documents = generatePaymentDocuments(tenant, {
        externalId,
        amountCents: payment.amountCents,
        dueDate: payment.dueDate,
        ourNumber,
      });
      const description =
        payment.number === 0
          ? `${made} — entrada`
          : terms.installments === 0
            ? `${made} — pagamento à vista`
            : `${made} — parcela ${payment.number} de ${terms.installments}`;
      const invoice = await insertInvoice(trx, {
        tenant_id: tenant.id,
        external_id: externalId,
        customer_id: input.customerId,
        contract_id: null,
        description,
        amount_cents: payment.amountCents,
        issue_date: today,
        due_date: payment.dueDate,
        status: "open",
        consumer,
        fine_bps: null,
        interest_monthly_bps: null,
        typeable_line: documents.typeableLine,
        barcode: documents.barcode,
        pix_payload: documents.pixPayload,
        our_number: ourNumber,
      });
      installments.push({
        number: payment.number,
        invoiceId: invoice.id,
        dueDate: payment.dueDate,
        amountCents: payment.amountCents,
      });
    }
    await insertAgreementLinks(trx, tenant.id, agreement.id, invoiceIds, installments);
    await publishTransition(trx, tenant, agreement.id, "agreement.proposed", now);
    return agreement.id;
  });
  await refreshStandingForCustomer(db, tenant.id, input.customerId, today, now);
  return (await getAgreement(db, tenant.id, id))!;
}

function installmentOf(row: InstallmentView): AgreementInstallment {
  return {
    number: row.number,
    invoiceId: row.invoice_id,
    dueDate: row.due_date,
    amountCents: Number(row.amount_cents),
    paidCents: Number(row.paid_cents),
    status: row.invoice_status === "paid" ? "paid" : row.invoice_status === "open" ? "open" : "cancelled",
    typeableLine: row.typeable_line,
    pixPayload: row.pix_payload,
  };
}

function agreementFromRow(row: AgreementRow, installments: InstallmentView[]): Agreement {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    debt: row.debt as DebtBreakdown,
    terms: row.terms as PlanTerms,
    concessionCents: Number(row.concession_cents),
    totalCents: Number(row.total_cents),
    paidCents: installments.reduce((sum, installment) => sum + Number(installment.paid_cents), 0),
    installments: installments.map(installmentOf),
    activatedAt: row.activated_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
  };
}

export async function getAgreement(db: Executor, tenantId: string, id: string): Promise<Agreement | null> {
  const row = await findAgreementRow(db, tenantId, id);
  if (!row) return null;
  return agreementFromRow(row, await findInstallmentsOf(db, tenantId, [id]));
}

/** Agreements newest first, optionally of one customer or in one status; a page with `after`/`limit`. */
export async function listAgreements(
  db: Executor,
  tenantId: string,
  filter: AgreementFilter,
): Promise<Agreement[]> {
  const rows = await findAgreementRows(db, tenantId, filter);
  const installments = await findInstallmentsOf(
    db,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    agreementFromRow(
      row,
      installments.filter((installment) => installment.agreement_id === row.id),
    ),
  );
}

/**
 * An operator (or the creditor's system) cancels an agreement in force, with a reason: the open
 * installments are cancelled and, as on a break, what was paid is credited to the original debt.
 */
export async function cancelAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  id: string,
  input: { reason: string; actor: AgreementActor },
  clock: Clock,
): Promise<Agreement> {
  const reason = input.reason.trim();
  if (reason.length < 3) throw validationError("reason", "reason: informe o motivo do cancelamento");
  if (input.actor.kind === "portal") {
    throw new AppError("forbidden", "o cancelamento de acordos é feito pelo credor");
  }
  const now = clock.now();
  const customerId = await db.transaction().execute(async (trx) => {
    const row = await lockAgreement(trx, tenant.id, id);
    if (!row) throw new AppError("not_found", `acordo ${id} não encontrado`);
    if (row.status !== "proposed" && row.status !== "active") {
      throw new AppError(
        "invalid_transition",
        `o acordo está ${row.status} e não pode ser cancelado; só acordos propostos ou ativos`,
        "status",
      );
    }
    await endAgreement(trx, tenant, row, "cancelled", `${reason} (${actorLabel(input.actor)})`, now);
    return row.customer_id;
  });
  await refreshStandingForCustomer(db, tenant.id, customerId, todayOf(tenant, clock), now);
  return (await getAgreement(db, tenant.id, id))!;
}

async function publishTransition(
  db: Executor,
  tenant: Tenant,
  agreementId: string,
  type: string,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const agreement = (await getAgreement(db, tenant.id, agreementId))!;
  await publishEvent(db, {
    tenantId: tenant.id,
    type,
    customerId: agreement.customerId,
    data: { agreement, ...extra },
    occurredAt: now,
  });
}

/**
 * Ends an agreement (lapsed, broken or cancelled): open installments are cancelled; when anything
 * was paid on the installments it is credited to the original invoices (imputePayments: oldest
 * first, interest before capital, Código Civil arts. 354-355) and their settlement refreshed, so
 * they come back to the régua owing exactly what is left.
 */
async function endAgreement(
  trx: Executor,
  tenant: Tenant,
  row: AgreementRow,
  status: "lapsed" | "broken" | "cancelled",
  reason: string,
  now: Date,
): Promise<void> {
  await sql`update invoices set status = 'cancelled', updated_at = now()
    where tenant_id = ${tenant.id}::uuid and status = 'open' and id in (
      select invoice_id from agreement_installments where tenant_id = ${tenant.id}::uuid and agreement_id = ${row.id}::uuid)`.execute(
    trx,
  );
  const originals = await findOriginalInvoiceIds(trx, tenant.id, row.id);
  const payments = await findInstallmentPayments(trx, tenant.id, [row.id]);
  let reinstated: { invoiceId: string; totalDueCents: number }[] = [];
  if (payments.length > 0) {
    const loader = new SettlementLoader(tenant);
    await imputeToOriginals(trx, tenant, row.id, originals, payments, loader, now);
    const today = todayIn(tenant.timeZone, now);
    const after = await loader.load(trx, originals);
    reinstated = originals
      .map((invoiceId) => ({ invoiceId, context: after.get(invoiceId)!.context }))
      .sort((x, y) =>
        x.context.dueDate < y.context.dueDate ? -1 : x.context.dueDate > y.context.dueDate ? 1 : 0,
      )
      .map(({ invoiceId, context }) => ({
        invoiceId,
        totalDueCents: amountDue(context, today).totalDueCents,
      }));
  }
  await updateAgreementStatus(trx, tenant.id, row.id, { status, ended_at: now, end_reason: reason });
  await publishTransition(
    trx,
    tenant,
    row.id,
    `agreement.${status}`,
    now,
    status === "lapsed" ? {} : { reinstated },
  );
}

/**
 * Credits payments made towards an agreement that ended to its original invoices still open,
 * each payment on its own day, oldest invoice first, interest before capital (imputePayments), as
 * agreement_imputations, and refreshes their settlement; an original they pay off announces
 * `invoice.paid` with `payment: null` and the agreement.
 */
async function imputeToOriginals(
  trx: Executor,
  tenant: Tenant,
  agreementId: string,
  originals: string[],
  payments: { id: string; amount_cents: number | string; paid_at: Date }[],
  loader: SettlementLoader,
  now: Date,
): Promise<void> {
  const contexts = await loader.load(trx, originals);
  const timeZone = [...contexts.values()][0]?.row.time_zone ?? tenant.timeZone;
  const open = originals.filter((invoiceId) => contexts.get(invoiceId)?.row.status === "open");
  const imputations = imputePayments(
    open.map((invoiceId) => {
      const { context } = contexts.get(invoiceId)!;
      return { invoiceId, ...context };
    }),
    payments.map((payment) => ({
      reference: payment.id,
      amountCents: Number(payment.amount_cents),
      paidOn: loader.dayOf(timeZone, payment.paid_at),
    })),
  );
  const paidAt = new Map(payments.map((payment) => [payment.id, payment.paid_at]));
  await insertImputations(
    trx,
    imputations.map((imputation) => ({
      tenant_id: tenant.id,
      agreement_id: agreementId,
      invoice_id: imputation.invoiceId,
      amount_cents: imputation.amountCents,
      paid_at: paidAt.get(imputation.reference)!,
    })),
  );
  await refreshSettlements(trx, tenant, originals);
  for (const invoiceId of open) {
    const settled = await findInvoiceById(trx, tenant.id, invoiceId);
    if (settled?.status !== "paid") continue;
    await publishEvent(trx, {
      tenantId: tenant.id,
      type: "invoice.paid",
      customerId: settled.customer_id,
      data: { invoice: invoiceFromRow(settled), payment: null, agreementId },
      occurredAt: now,
    });
  }
}

/**
 * Moves the tenant's agreements the calendar and the payments moved (one query finds them all):
 * activation when the first payment was made, completion when all were, lapse when the first
 * payment was missed (its payable day passed, Lei 7.089/1983), break when an installment stays
 * unpaid past the tolerance in business days. Runs in the daily run, before planning, so that
 * reinstated invoices are planned the same day; `agreementId` restricts it to one agreement.
 */
export async function applyAgreementLifecycle(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  now: Date,
  agreementId?: string,
): Promise<{ id: string; move: string }[]> {
  const settings = await getAgreementSettings(db, tenant.id);
  const calendar = calendarOf(tenant);
  const cutoffs = agreementId
    ? { lapseDueOnOrBefore: "1900-01-01", breakDueOnOrBefore: "1900-01-01" }
    : {
        lapseDueOnOrBefore: toleranceCutoff(date, 0, calendar),
        breakDueOnOrBefore: toleranceCutoff(date, settings.breakToleranceBusinessDays, calendar),
      };
  const candidates = await findLifecycleCandidates(db, tenant.id, cutoffs, agreementId);
  const moved: { id: string; move: string }[] = [];
  for (const candidate of candidates) {
    const done = await inTransactionOf(db, async (trx) => {
      const row = await lockAgreement(trx, tenant.id, candidate.id);
      if (!row || row.status !== candidate.status) return false;
      if (candidate.move === "activate" || candidate.move === "complete") {
        if (row.status === "proposed") {
          await updateAgreementStatus(trx, tenant.id, row.id, { status: "active", activated_at: now });
          await publishTransition(trx, tenant, row.id, "agreement.activated", now);
        }
        if (candidate.move === "complete") {
          // the debt was replaced and is paid: the originals are renegotiated (final)
          await sql`update invoices set status = 'renegotiated', updated_at = now()
            where tenant_id = ${tenant.id}::uuid and status = 'open' and id in (
              select invoice_id from agreement_invoices
              where tenant_id = ${tenant.id}::uuid and agreement_id = ${row.id}::uuid)`.execute(trx);
          await updateAgreementStatus(trx, tenant.id, row.id, {
            status: "completed",
            ended_at: now,
            end_reason: "todas as parcelas pagas",
          });
          await publishTransition(trx, tenant, row.id, "agreement.completed", now);
        }
      } else if (candidate.move === "lapse") {
        await endAgreement(trx, tenant, row, "lapsed", "primeiro pagamento não feito até o vencimento", now);
      } else {
        await endAgreement(
          trx,
          tenant,
          row,
          "broken",
          `parcela em aberto há mais de ${settings.breakToleranceBusinessDays} dias úteis`,
          now,
        );
      }
      return true;
    });
    if (done) moved.push({ id: candidate.id, move: candidate.move });
  }
  return moved;
}

async function inTransactionOf<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : (db as Kysely<Database>).transaction().execute(work);
}

/**
 * After a payment on an installment invoice (payments call this): activates the agreement on its
 * first payment and completes it on its last. Lapse and break wait for the daily run.
 */
export async function applyInstallmentPayment(
  db: Executor,
  tenant: Tenant,
  invoiceId: string,
  now: Date,
): Promise<void> {
  const link = await findAgreementIdOfInstallment(db, tenant.id, invoiceId);
  if (!link) return;
  await applyAgreementLifecycle(db, tenant, todayIn(tenant.timeZone, now), now, link.agreement_id);
}

/** What became of a payment that concerns an agreement. */
export interface PaymentToAgreement {
  agreementId: string;
  /**
   * withdrawn: paid on an original, the unpaid proposal was cancelled and the payment settles it;
   * credited: paid on an original of an active agreement, the money went to the installments;
   * imputed: paid on a cancelled installment of an agreement that ended, the money went to the
   * original invoices
   */
  outcome: "withdrawn" | "credited" | "imputed";
}

/**
 * A payment on an invoice an agreement speaks for, inside the payment's own transaction (null
 * when it is none of these):
 * - an original invoice of an agreement in force — the debtor paid the old boleto. A proposal
 *   nothing was paid on yet is withdrawn: the debtor chose to pay the debt as it was, and the
 *   payment settles the original as usual. An active agreement takes the money: it is credited to
 *   the open installments, earliest due first (what exceeds them all stays on the last), and the
 *   original's settlement leaves that payment out.
 * - a cancelled installment of an agreement that lapsed, broke or was cancelled — the debtor paid
 *   the installment's boleto late. The money goes to the original invoices, as the installments'
 *   payments did when the agreement ended.
 */
export async function applyPaymentToAgreement(
  trx: Executor,
  tenant: Tenant,
  payment: { id: string; external_id: string; amount_cents: number; paid_at: Date },
  invoice: { id: string; status: string },
  now: Date,
): Promise<PaymentToAgreement | null> {
  if (invoice.status === "cancelled") {
    return imputeLateInstallmentPayment(trx, tenant, payment, invoice.id, now);
  }
  const row = await lockAgreementInForceOfOriginal(trx, tenant.id, invoice.id);
  if (!row) return null;
  if (row.status === "proposed") {
    await endAgreement(
      trx,
      tenant,
      row,
      "cancelled",
      `pagamento ${payment.external_id} feito direto numa fatura original`,
      now,
    );
    return { agreementId: row.id, outcome: "withdrawn" };
  }
  const open = await findOpenInstallments(trx, tenant.id, row.id);
  if (open.length === 0) return null;
  const credits: Parameters<typeof insertCredits>[1] = [];
  let left = Number(payment.amount_cents);
  for (const [index, installment] of open.entries()) {
    const last = index === open.length - 1;
    const amount = last ? left : Math.min(left, installment.missing_cents);
    if (amount > 0) {
      credits.push({
        tenant_id: tenant.id,
        agreement_id: row.id,
        payment_id: payment.id,
        invoice_id: installment.invoice_id,
        amount_cents: amount,
        paid_at: payment.paid_at,
      });
    }
    left -= amount;
    if (left === 0) break;
  }
  await insertCredits(trx, credits);
  await markPaymentCredited(trx, tenant.id, payment.id, row.id);
  await refreshSettlements(
    trx,
    tenant,
    credits.map((credit) => credit.invoice_id),
  );
  return { agreementId: row.id, outcome: "credited" };
}

async function imputeLateInstallmentPayment(
  trx: Executor,
  tenant: Tenant,
  payment: { id: string; amount_cents: number; paid_at: Date },
  invoiceId: string,
  now: Date,
): Promise<PaymentToAgreement | null> {
  const link = await findAgreementIdOfInstallment(trx, tenant.id, invoiceId);
  if (!link) return null;
  const row = await lockAgreement(trx, tenant.id, link.agreement_id);
  if (!row || !["lapsed", "broken", "cancelled"].includes(row.status)) return null;
  const originals = await findOriginalInvoiceIds(trx, tenant.id, row.id);
  await imputeToOriginals(trx, tenant, row.id, originals, [payment], new SettlementLoader(tenant), now);
  return { agreementId: row.id, outcome: "imputed" };
}
