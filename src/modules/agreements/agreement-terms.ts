import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import {
  type ActorLimits,
  buildPlan,
  checkPlanTerms,
  concessionsOf,
  type Plan,
  type PlanRequest,
} from "../../domain/agreement-plan.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, daysBetween, formatBrazilianDate, type IsoDate, todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { type StepTimer, stepTimer } from "../../shared/step-timings.ts";
import { parseInput } from "../../shared/validation.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { getOpenDebts } from "../open-debt/open-debt.service.ts";
import type { OpenDebt } from "../open-debt/open-debt.ts";
import type { Tenant } from "../tenants/tenant.ts";
import type {
  AgreementActor,
  AgreementPreview,
  AgreementSettings,
  DebtBreakdown,
  PlanTerms,
  TPlanTerms,
} from "./agreement.ts";
import { ZPlanTerms } from "./agreement.ts";
import { getAgreementSettings, limitsOf } from "./agreement-settings.ts";

/**
 * The one rule for an agreement's terms: the debt of the day on the invoices chosen, the plan the
 * terms make of it, checked against the actor's limits and the first due date's range. A preview,
 * a proposal and a campaign's offers (many customers at once, `previewAgreements`) all go through
 * `checkedPlanOn`; only how the debt is loaded differs (one customer, or a batch).
 */

export function todayOf(tenant: Tenant, clock: Clock): IsoDate {
  return todayIn(tenant.timeZone, clock.now());
}

export function calendarOf(tenant: Tenant): BusinessCalendar {
  return new BusinessCalendar(tenant.extraHolidays);
}

export function actorLimits(settings: AgreementSettings, actor: AgreementActor): ActorLimits {
  const limits = limitsOf(settings, actor);
  return {
    ...limits,
    settlementDiscountBps: settings.settlementDiscountBps,
    monthlyInterestBps: settings.defaultMonthlyInterestBps,
    mayLowerInterest: limits.role !== "portal",
  };
}

export async function requireCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
  actor: AgreementActor,
) {
  const customer = await findCustomerById(db, tenantId, customerId);
  if (!customer || (actor.kind === "portal" && actor.customerId !== customerId)) {
    throw new AppError("not_found", `customerId: cliente ${customerId} não encontrado`, "customerId");
  }
  return customer;
}

/**
 * The debt as of `today` on the invoices given (or, with none, on every overdue invoice the
 * customer owes directly), each with what is still owed — read from the open-debt model, the one
 * home of what a debtor owes on a date (Código Civil art. 354 replay, fine and interest of the day).
 */
function debtOf(open: OpenDebt, invoiceIds: string[] | undefined, today: IsoDate): DebtBreakdown {
  const chosen = invoiceIds ? new Set(invoiceIds) : null;
  const invoices = open.invoices
    .filter((invoice) =>
      chosen ? chosen.has(invoice.id) : invoice.owed && invoice.overdue && invoice.installmentOf === null,
    )
    .map((invoice) => ({
      invoiceId: invoice.id,
      description: invoice.description || invoice.externalId,
      dueDate: invoice.dueDate,
      daysOverdue: Math.max(0, daysBetween(invoice.dueDate, today)),
      principalCents: invoice.outstandingPrincipalCents,
      fineCents: invoice.fineCents,
      interestCents: invoice.interestCents,
      totalCents: invoice.totalDueCents,
    }));
  const sum = (pick: (invoice: (typeof invoices)[number]) => number) =>
    invoices.reduce((total, invoice) => total + pick(invoice), 0);
  return {
    asOf: today,
    invoices,
    principalCents: sum((invoice) => invoice.principalCents),
    fineCents: sum((invoice) => invoice.fineCents),
    interestCents: sum((invoice) => invoice.interestCents),
    totalCents: sum((invoice) => invoice.totalCents),
  };
}

/**
 * The debts of some customers on the invoices each chose (or, without a choice, every overdue
 * invoice it owes directly): one batch read of the open debt for all of them. Invoices already in
 * an agreement in force, and installments of agreements, cannot go in: a customer whose choice
 * breaks that gets its refusal instead of a debt.
 */
export async function loadDebts(
  db: Executor,
  tenant: Tenant,
  choices: { customerId: string; invoiceIds?: string[] | undefined }[],
  today: IsoDate,
  timer: StepTimer = stepTimer("loadDebts"),
): Promise<Map<string, DebtBreakdown | AppError>> {
  const refusals = await chosenInvoiceRefusals(db, tenant.id, choices);
  timer.step("chosen invoices");
  const open = await getOpenDebts(
    db,
    tenant,
    choices.filter((choice) => !refusals.has(choice.customerId)).map((choice) => choice.customerId),
    today,
  );
  timer.step("open debts");
  const debts = new Map<string, DebtBreakdown | AppError>(refusals);
  for (const choice of choices) {
    const debt = open.get(choice.customerId);
    if (debt) debts.set(choice.customerId, debtOf(debt, choice.invoiceIds, today));
  }
  return debts;
}

/** One customer's debt on the invoices chosen, refused as `loadDebts` would refuse it. */
export async function loadDebt(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  invoiceIds: string[] | undefined,
  today: IsoDate,
): Promise<DebtBreakdown> {
  const debt = (await loadDebts(db, tenant, [{ customerId, invoiceIds }], today)).get(customerId)!;
  if (debt instanceof AppError) throw debt;
  return debt;
}

/**
 * Per customer, the first invoice it chose that cannot go in an agreement: not its own (or an
 * installment), not open, or already in an agreement in force. One read for every customer.
 */
async function chosenInvoiceRefusals(
  db: Executor,
  tenantId: string,
  choices: { customerId: string; invoiceIds?: string[] | undefined }[],
): Promise<Map<string, AppError>> {
  const asked = choices.flatMap((choice) =>
    (choice.invoiceIds ?? []).map((invoiceId) => ({ customerId: choice.customerId, invoiceId })),
  );
  const refusals = new Map<string, AppError>();
  if (asked.length === 0) return refusals;
  const result = await sql<{
    id: string;
    customer_id: string;
    status: string;
    external_id: string;
    in_force: boolean;
  }>`
    select i.id, i.customer_id, i.status, i.external_id,
      exists (select 1 from agreement_invoices ao
        join agreements a on a.tenant_id = ao.tenant_id and a.id = ao.agreement_id
        where ao.tenant_id = i.tenant_id and ao.invoice_id = i.id and a.status in ('proposed', 'active')) as in_force
    from invoices i
    where i.tenant_id = ${tenantId}::uuid
      and i.id = any(${asked.map((entry) => entry.invoiceId)}::uuid[])
      and not exists (select 1 from agreement_installments ai where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id)`.execute(
    db,
  );
  const rows = new Map(result.rows.map((row) => [row.id, row]));
  for (const { customerId, invoiceId } of asked) {
    if (refusals.has(customerId)) continue;
    const row = rows.get(invoiceId);
    if (!row || row.customer_id !== customerId) {
      refusals.set(
        customerId,
        validationError(
          "invoiceIds",
          `invoiceIds: fatura ${invoiceId} não encontrada entre as deste cliente`,
        ),
      );
    } else if (row.status !== "open") {
      refusals.set(
        customerId,
        validationError("invoiceIds", `invoiceIds: fatura ${row.external_id} não está em aberto`),
      );
    }
  }
  for (const { customerId, invoiceId } of asked) {
    if (refusals.has(customerId)) continue;
    const row = rows.get(invoiceId)!;
    if (row.in_force) {
      refusals.set(
        customerId,
        validationError(
          "invoiceIds",
          `invoiceIds: a fatura ${row.external_id} já está em um acordo em vigor`,
        ),
      );
    }
  }
  return refusals;
}

/** The first payment's default due date: the next business day after today. */
export function defaultFirstDueDate(tenant: Tenant, today: IsoDate): IsoDate {
  return calendarOf(tenant).nextBusinessDay(addDays(today, 1));
}

export function planRequest(terms: PlanTerms): PlanRequest {
  return {
    downPaymentCents: terms.downPaymentCents,
    installments: terms.installments,
    dayOfMonth: terms.dayOfMonth,
    waiveFine: terms.waiveFine,
    waiveInterest: terms.waiveInterest,
    principalDiscountBps: terms.principalDiscountBps,
    monthlyInterestBps: terms.installments === 0 ? 0 : terms.monthlyInterestBps,
  };
}

/** The plan terms make on a customer's debt today, checked: what a preview shows and a proposal issues. */
export interface CheckedPlan {
  terms: PlanTerms;
  invoiceIds: string[];
  firstDueDate: IsoDate;
  today: IsoDate;
  debt: DebtBreakdown;
  request: PlanRequest;
  plan: Plan;
}

/** What every plan of one actor's terms on one day shares: the limits and the dates. */
interface TermsDay {
  limits: ActorLimits;
  today: IsoDate;
  firstDueDate: IsoDate;
}

async function termsDay(
  db: Executor,
  tenant: Tenant,
  terms: PlanTerms,
  actor: AgreementActor,
  clock: Clock,
): Promise<TermsDay> {
  const settings = await getAgreementSettings(db, tenant.id);
  const limits = actorLimits(settings, actor);
  const today = todayOf(tenant, clock);
  const firstDueDate = terms.firstDueDate ?? defaultFirstDueDate(tenant, today);
  if (firstDueDate < today || firstDueDate > addDays(today, 60)) {
    throw validationError(
      "firstDueDate",
      `firstDueDate: o primeiro vencimento deve ficar entre hoje (${formatBrazilianDate(today)}) e ${formatBrazilianDate(addDays(today, 60))}`,
    );
  }
  return { limits, today, firstDueDate };
}

/** The plan the terms make of one debt, checked against the actor's limits; an AppError naming the field otherwise. */
function checkedPlanOn(debt: DebtBreakdown, terms: PlanTerms, day: TermsDay): CheckedPlan | AppError {
  if (debt.totalCents === 0) return validationError("invoiceIds", "invoiceIds: nada a pagar nessas faturas");
  const request = planRequest(terms);
  const plan = buildPlan(debt, request, day.firstDueDate);
  const problems = checkPlanTerms(debt, request, plan, day.limits);
  if (problems.length > 0) return validationError(problems[0]!.field, problems[0]!.message);
  return {
    terms,
    invoiceIds: [...new Set(terms.invoiceIds)],
    firstDueDate: day.firstDueDate,
    today: day.today,
    debt,
    request,
    plan,
  };
}

/**
 * The one rule for terms (simulation and proposal alike): the debt of the day on the invoices
 * chosen, the plan the terms make of it, checked against the actor's limits and the first due
 * date's range — an AppError naming the field otherwise.
 */
export async function checkTerms(
  db: Executor,
  tenant: Tenant,
  input: { customerId: string; terms: TPlanTerms; actor: AgreementActor },
  clock: Clock,
): Promise<CheckedPlan> {
  const terms = parseInput(ZPlanTerms, input.terms);
  await requireCustomer(db, tenant.id, input.customerId, input.actor);
  const day = await termsDay(db, tenant, terms, input.actor, clock);
  const invoiceIds = [...new Set(terms.invoiceIds)];
  const debt = await loadDebt(db, tenant, input.customerId, invoiceIds, day.today);
  const checked = checkedPlanOn(debt, terms, day);
  if (checked instanceof AppError) throw checked;
  return checked;
}

function previewOf(checked: CheckedPlan): AgreementPreview {
  return {
    debt: checked.debt,
    terms: {
      ...checked.terms,
      invoiceIds: checked.invoiceIds,
      firstDueDate: checked.firstDueDate,
      monthlyInterestBps: checked.request.monthlyInterestBps,
    },
    concessions: concessionsOf(checked.debt, checked.request),
    concessionCents: checked.plan.concessionCents,
    planInterestCents: checked.plan.planInterestCents,
    totalCents: checked.plan.totalCents,
    schedule: checked.plan.schedule,
  };
}

/**
 * An agreement exactly as `proposeAgreement` would make it from these terms, without making it:
 * the debt of the day, the dated schedule, the total and each concession. Refused as the proposal
 * would be (400 naming the field), so the dashboard shows the reason before anything is issued.
 */
export async function previewAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  input: { customerId: string; terms: TPlanTerms; actor: AgreementActor },
  clock: Clock,
): Promise<AgreementPreview> {
  return previewOf(await checkTerms(db, tenant, input, clock));
}

/**
 * The same terms previewed for many customers, each on its own invoices, as `previewAgreement`
 * would preview each: the limits and dates read once, the debts in one batch, the plan of each
 * checked by the same rule. Each customer gets its preview or its refusal (an AppError naming the
 * field); the customers are the caller's (a campaign's selection), so none is looked up again.
 */
export async function previewAgreements(
  db: Executor,
  tenant: Tenant,
  input: {
    offers: { customerId: string; invoiceIds: string[] }[];
    terms: Omit<TPlanTerms, "invoiceIds">;
    actor: AgreementActor;
  },
  clock: Clock,
): Promise<Map<string, AgreementPreview | AppError>> {
  const outcomes = new Map<string, AgreementPreview | AppError>();
  if (input.offers.length === 0) return outcomes;
  const timer = stepTimer(`previewAgreements(${input.offers.length})`);
  const terms = parseInput(ZPlanTerms, { ...input.terms, invoiceIds: input.offers[0]!.invoiceIds });
  const day = await termsDay(db, tenant, terms, input.actor, clock);
  timer.step("limits");
  const debts = await loadDebts(db, tenant, input.offers, day.today, timer);
  for (const offer of input.offers) {
    const debt = debts.get(offer.customerId)!;
    const checked =
      debt instanceof AppError ? debt : checkedPlanOn(debt, { ...terms, invoiceIds: offer.invoiceIds }, day);
    outcomes.set(offer.customerId, checked instanceof AppError ? checked : previewOf(checked));
  }
  timer.step("plans");
  return outcomes;
}
