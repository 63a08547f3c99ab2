import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { GroupWriter, groupWriterOf } from "../../db/group-writer.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { todayIn } from "../../domain/dates.ts";
import { type EarlyDiscount, earlyDiscount, earlyDiscountTerms } from "../../domain/early-discount.ts";
import { type ChargeTerms, type InvoicePayment, settleInvoice } from "../../domain/late-charges.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { boletoIssuerOf } from "../bank-accounts/boleto-issuer.ts";
import { findContractById } from "../contracts/contract.repository.ts";
import { findCustomerByExternalId, findCustomerById } from "../customers/customer.repository.ts";
import { nextOurNumber } from "../tenants/our-number-allocator.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findInvoiceByExternalId,
  findInvoiceById,
  findPaymentsOfInvoices,
  findSettlementInputs,
  type InvoiceOwner,
  insertOwnedInvoices,
  lockInvoice,
  type NewOwnedInvoiceRow,
  type SettlementInputRow,
  type SettlementUpdate,
  updateInvoiceStatus,
  updateSettlements,
} from "./invoice.repository.ts";
import type { InvoiceRow, InvoiceStatus } from "./invoice.table.ts";
import {
  type AmountDue,
  canTransition,
  type Invoice,
  type TCreateInvoice,
  transitionError,
  ZCreateInvoice,
} from "./invoice.ts";
import {
  BOLETO_MAX_CENTS,
  boletoNeedsOurNumber,
  checkGivenBoleto,
  checkGivenPix,
  invoiceBoleto,
  type PaymentDocuments,
} from "./payment-documents.ts";

export { BOLETO_MAX_CENTS };

export function invoiceFromRow(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    externalId: row.external_id,
    customerId: row.customer_id,
    contractId: row.contract_id,
    description: row.description,
    amountCents: row.amount_cents,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    status: row.status,
    consumer: row.consumer,
    fineBps: row.fine_bps,
    interestMonthlyBps: row.interest_monthly_bps,
    paidCents: row.paid_cents,
    paidAt: row.paid_at,
    typeableLine: row.typeable_line,
    barcode: row.barcode,
    pixPayload: row.pix_payload,
    ourNumber: row.our_number,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createInvoice(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TCreateInvoice,
  options: { today: string },
): Promise<Invoice> {
  const data = parseInput(ZCreateInvoice, input);
  const given = checkGivenDocuments(data, options.today);
  // the boleto Régua builds (none given): the default bank account's, else the older settings'
  const issuer =
    data.typeableLine || data.amountCents > BOLETO_MAX_CENTS ? null : await boletoIssuerOf(db, tenant.id);
  const needsOurNumber = !data.typeableLine && boletoNeedsOurNumber(tenant, issuer, data.amountCents);
  const ourNumber = needsOurNumber ? await nextOurNumber(db, tenant.id) : null;
  const { documents: generated, bank } = invoiceBoleto(tenant, issuer, data, ourNumber);
  const owner = {
    customerId: data.customerId,
    customerExternalId: data.customerExternalId,
    contractId: data.contractId,
  };
  const row = await insertOwnedInvoice(db, owner, {
    tenant_id: tenant.id,
    external_id: data.externalId,
    description: data.description,
    amount_cents: data.amountCents,
    issue_date: data.issueDate,
    due_date: data.dueDate,
    status: data.status,
    consumer: data.consumer ?? null,
    fine_bps: data.fineBps ?? null,
    interest_monthly_bps: data.interestMonthlyBps ?? null,
    typeable_line: given.typeableLine ?? generated.typeableLine,
    barcode: given.barcode ?? generated.barcode,
    pix_payload: given.pixPayload ?? generated.pixPayload,
    our_number: ourNumber,
    ...(bank
      ? {
          bank_account_id: bank.accountId,
          bank_our_number: bank.bankOurNumber,
          boleto_status: "pending" as const,
        }
      : {}),
  });
  if (!row) throw await whyNotInserted(db, tenant.id, data);
  return invoiceFromRow(row);
}

// one group writer per database handle: invoices created concurrently share a statement and a commit
const invoiceWriters = new WeakMap<object, GroupWriter<OwnedInvoice, InvoiceRow | undefined>>();
type OwnedInvoice = { owner: InvoiceOwner; row: NewOwnedInvoiceRow };

function insertOwnedInvoice(
  db: Kysely<Database>,
  owner: InvoiceOwner,
  row: NewOwnedInvoiceRow,
): Promise<InvoiceRow | undefined> {
  if (db.isTransaction) return insertOwnedInvoices(db, [{ owner, row }]).then(([inserted]) => inserted);
  const writer = groupWriterOf(
    invoiceWriters,
    db,
    () => new GroupWriter((items: OwnedInvoice[]) => insertOwnedInvoices(db, items)),
  );
  return writer.add({ owner, row });
}

/** A typeable line or Pix payload the creditor sent must match the invoice (bank, amount, due date). */
function checkGivenDocuments(data: TCreateInvoice, today: string): Partial<PaymentDocuments> {
  const given: Partial<PaymentDocuments> = {};
  if (data.typeableLine) {
    const checked = checkGivenBoleto(data.typeableLine, data, today);
    if ("error" in checked) throw validationError("typeableLine", `typeableLine: ${checked.error}`);
    given.typeableLine = checked.typeableLine;
    given.barcode = checked.barcode;
  }
  if (data.pixPayload) {
    const checked = checkGivenPix(data.pixPayload, data);
    if ("error" in checked) throw validationError("pixPayload", `pixPayload: ${checked.error}`);
    given.pixPayload = checked.pixPayload;
  }
  return given;
}

/** The reason an invoice was not inserted, looked up only on that (rare) path. */
async function whyNotInserted(
  db: Kysely<Database>,
  tenantId: string,
  data: TCreateInvoice,
): Promise<AppError> {
  const customer = data.customerId
    ? await findCustomerById(db, tenantId, data.customerId)
    : await findCustomerByExternalId(db, tenantId, data.customerExternalId!);
  if (!customer) {
    const field = data.customerId ? "customerId" : "customerExternalId";
    return new AppError(
      "not_found",
      `${field}: cliente ${data.customerId ?? data.customerExternalId} não encontrado; cadastre-o antes da fatura`,
      field,
    );
  }
  if (data.contractId) {
    const contract = await findContractById(db, tenantId, data.contractId);
    if (!contract || contract.customer_id !== customer.id) {
      return validationError(
        "contractId",
        `contractId: contrato ${data.contractId} não encontrado para este cliente`,
      );
    }
  }
  return new AppError(
    "conflict",
    `externalId: já existe uma fatura com o id externo '${data.externalId}'`,
    "externalId",
  );
}

export async function getInvoice(db: Kysely<Database>, tenantId: string, id: string): Promise<Invoice> {
  const row = await findInvoiceById(db, tenantId, id);
  if (!row) throw notFound("Fatura", id);
  return invoiceFromRow(row);
}

export async function getInvoiceByExternalId(
  db: Kysely<Database>,
  tenantId: string,
  externalId: string,
): Promise<Invoice> {
  const row = await findInvoiceByExternalId(db, tenantId, externalId);
  if (!row) throw notFound("Fatura", externalId);
  return invoiceFromRow(row);
}

/**
 * Cancels an invoice or marks it renegotiated (replaced by an agreement). `paid` comes only from
 * recording payments; any move the transition table does not allow is refused.
 */
export async function changeInvoiceStatus(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  status: InvoiceStatus,
): Promise<Invoice> {
  return db.transaction().execute(async (trx) => {
    const row = await lockInvoice(trx, tenantId, id);
    if (!row) throw notFound("Fatura", id);
    if (status === "paid" && row.status !== "paid") {
      throw new AppError(
        "invalid_transition",
        `status: ${transitionError(row.external_id, row.status, status)} à mão; registre o pagamento para quitá-la`,
        "status",
      );
    }
    if (!canTransition(row.status, status)) {
      throw new AppError(
        "invalid_transition",
        `status: ${transitionError(row.external_id, row.status, status)}`,
        "status",
      );
    }
    if (row.status === status) return invoiceFromRow(row);
    return invoiceFromRow(await updateInvoiceStatus(trx, tenantId, id, status));
  });
}

/** Everything `amountDue` needs about one invoice. */
export interface SettlementContext {
  status: InvoiceStatus;
  principalCents: number;
  dueDate: string;
  terms: ChargeTerms;
  calendar: BusinessCalendar;
  payments: InvoicePayment[];
  /** the contract's early-payment discount, if it grants one */
  earlyDiscount?: EarlyDiscount | null;
}

/**
 * What the debtor owes on `today`: principal left plus fine and pro rata interest, with payments
 * applied first to interest and fine, then to principal (Código Civil art. 354). A cancelled or
 * renegotiated invoice is owed no more.
 */
export function amountDue(invoice: SettlementContext, today: string): AmountDue {
  const settlement = settleInvoice(
    {
      principalCents: invoice.principalCents,
      dueDate: invoice.dueDate,
      terms: invoice.terms,
      calendar: invoice.calendar,
      payments: invoice.payments,
      earlyDiscount: invoice.earlyDiscount ?? null,
    },
    today,
  );
  const owed = invoice.status === "open" || invoice.status === "paid";
  return {
    asOf: today,
    status: owed ? settlement.status : invoice.status,
    principalCents: invoice.principalCents,
    outstandingPrincipalCents: owed ? settlement.outstandingPrincipalCents : 0,
    fineCents: owed ? settlement.fineCents : 0,
    interestCents: owed ? settlement.interestCents : 0,
    paidCents: settlement.paidCents,
    overpaidCents: settlement.overpaidCents,
    totalDueCents: owed ? settlement.totalDueCents : 0,
  };
}

/**
 * Builds settlement contexts for many invoices at once, with one business calendar per debtor
 * place (the tenant's extra holidays plus state and city ones) and payment days in the debtor's
 * time zone.
 */
export class SettlementLoader {
  private readonly calendars = new Map<string, BusinessCalendar>();
  private readonly days = new Map<string, string>();
  private readonly tenantSettings: Tenant;
  constructor(tenant: Tenant) {
    this.tenantSettings = tenant;
  }

  calendarFor(state: string | null, city: string | null): BusinessCalendar {
    const key = `${state ?? ""}|${city ?? ""}`;
    let calendar = this.calendars.get(key);
    if (!calendar) {
      calendar = new BusinessCalendar(this.tenantSettings.extraHolidays, {
        ...(state ? { state } : {}),
        ...(city ? { city } : {}),
      });
      this.calendars.set(key, calendar);
    }
    return calendar;
  }

  termsFor(row: Pick<SettlementInputRow, "consumer" | "fine_bps" | "interest_monthly_bps">): ChargeTerms {
    return {
      fineBps: row.fine_bps ?? this.tenantSettings.defaultFineBps,
      interestMonthlyBps: row.interest_monthly_bps ?? this.tenantSettings.defaultInterestMonthlyBps,
      consumer: row.consumer,
    };
  }

  dayOf(timeZone: string, instant: Date): string {
    const key = `${timeZone}|${instant.getTime()}`;
    let day = this.days.get(key);
    if (!day) {
      day = todayIn(timeZone, instant);
      this.days.set(key, day);
    }
    return day;
  }

  async load(
    db: Executor,
    invoiceIds: string[],
  ): Promise<Map<string, { row: SettlementInputRow; context: SettlementContext; lastPaidAt: Date | null }>> {
    const rows = await findSettlementInputs(db, this.tenantSettings.id, invoiceIds);
    const payments = await findPaymentsOfInvoices(db, this.tenantSettings.id, invoiceIds);
    const byInvoice = new Map<string, { amount_cents: number; paid_at: Date }[]>();
    for (const payment of payments) {
      const list = byInvoice.get(payment.invoice_id!) ?? [];
      list.push(payment);
      byInvoice.set(payment.invoice_id!, list);
    }
    const result = new Map<
      string,
      { row: SettlementInputRow; context: SettlementContext; lastPaidAt: Date | null }
    >();
    for (const row of rows) {
      const own = byInvoice.get(row.id) ?? [];
      let lastPaidAt: Date | null = null;
      for (const payment of own)
        if (!lastPaidAt || payment.paid_at > lastPaidAt) lastPaidAt = payment.paid_at;
      result.set(row.id, {
        row,
        lastPaidAt,
        context: {
          status: row.status,
          principalCents: row.amount_cents,
          dueDate: row.due_date,
          terms: this.termsFor(row),
          calendar: this.calendarFor(row.address_state, row.address_city),
          payments: own.map((payment) => ({
            amountCents: payment.amount_cents,
            paidOn: this.dayOf(row.time_zone, payment.paid_at),
          })),
          earlyDiscount: earlyDiscount(
            earlyDiscountTerms(row.early_discount_bps, row.early_discount_days),
            row.amount_cents,
            row.due_date,
            row.issue_date,
          ),
        },
      });
    }
    return result;
  }
}

/**
 * Invoices whose settlement is computed per round trip: their contexts (the invoice, its terms and
 * payments) held in memory at once. The settlements themselves are written in one statement, so
 * that a customer with invoices in several chunks is marked stale once (updateSettlements).
 */
const SETTLEMENT_CHUNK = 20_000;

/**
 * Recomputes paid_cents, paid_at and status of invoices after payments arrived, in the caller's
 * transaction. Whether an invoice is paid is judged on the day of its last payment: paid in full
 * including the fine and interest accrued by then (Código Civil art. 354). Only open and paid
 * invoices change status; a payment on a cancelled or renegotiated one is recorded but does not
 * revive it. Returns the invoices whose settlement changed, as they now are.
 */
export async function refreshSettlements(
  db: Executor,
  tenant: Tenant,
  invoiceIds: string[],
): Promise<InvoiceRow[]> {
  const loader = new SettlementLoader(tenant);
  const unique = [...new Set(invoiceIds)];
  const updates: SettlementUpdate[] = [];
  for (let start = 0; start < unique.length; start += SETTLEMENT_CHUNK) {
    const contexts = await loader.load(db, unique.slice(start, start + SETTLEMENT_CHUNK));
    for (const [id, { row, context, lastPaidAt }] of contexts) {
      // ISO dates compare as text; the latest payment day, or the due date when all came before it.
      let lastDay = context.dueDate;
      for (const payment of context.payments) if (payment.paidOn > lastDay) lastDay = payment.paidOn;
      const settled = amountDue(context, lastDay);
      const paidCents = context.payments.reduce((sum, payment) => sum + payment.amountCents, 0);
      const status = row.status === "open" || row.status === "paid" ? settled.status : row.status;
      if (!canTransition(row.status, status)) continue;
      updates.push({ id, status, paidCents, paidAt: status === "paid" ? lastPaidAt : null });
    }
  }
  return updateSettlements(db, tenant.id, updates);
}

/** The amount due on an invoice on `today`, with its breakdown. */
export async function getAmountDue(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  today: string,
): Promise<AmountDue> {
  const contexts = await new SettlementLoader(tenant).load(db, [invoiceId]);
  const found = contexts.get(invoiceId);
  if (!found) throw notFound("Fatura", invoiceId);
  return amountDue(found.context, today);
}
