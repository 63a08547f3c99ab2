import type { Executor } from "../../db/database.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { settleInvoice } from "../../domain/late-charges.ts";
import { notFound } from "../../shared/errors.ts";
import { SettlementLoader } from "../invoices/invoice.service.ts";
import { generatePaymentDocuments } from "../invoices/payment-documents.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findOpenInvoices, type OpenInvoiceRow } from "./open-debt.repository.ts";
import {
  lastOverdueDueDate,
  type OpenDebt,
  type OpenDebtInvoice,
  type OpenInvoiceFacts,
  openDebtOn,
  openInvoiceOn,
} from "./open-debt.ts";

/** Due dates on or before the returned day are overdue on `date` for this tenant (its holidays). */
export function overdueCutoffOf(tenant: Pick<Tenant, "extraHolidays">, date: IsoDate): IsoDate {
  return lastOverdueDueDate(date, new BusinessCalendar(tenant.extraHolidays));
}

async function loadFacts(
  db: Executor,
  tenant: Tenant,
  scope: { customerIds: string[] } | { invoiceIds: string[] },
): Promise<OpenInvoiceFacts[]> {
  const rows = await findOpenInvoices(db, tenant.id, scope);
  const contexts = await new SettlementLoader(tenant).load(
    db,
    rows.map((row) => row.id),
  );
  const facts: OpenInvoiceFacts[] = [];
  for (const row of rows) {
    const loaded = contexts.get(row.id);
    if (loaded) facts.push(factsOf(row, loaded.context));
  }
  return facts;
}

function factsOf(row: OpenInvoiceRow, settlement: OpenInvoiceFacts["settlement"]): OpenInvoiceFacts {
  return {
    id: row.id,
    customerId: row.customer_id,
    externalId: row.external_id,
    description: row.description,
    contractId: row.contract_id,
    paidCents: Number(row.paid_cents),
    coveredBy:
      row.covered_by_id && row.covered_by_status
        ? { id: row.covered_by_id, status: row.covered_by_status }
        : null,
    installmentOf: row.installment_of,
    disputed: row.disputed,
    typeableLine: row.typeable_line,
    pixPayload: row.pix_payload,
    ourNumber: row.our_number === null ? null : Number(row.our_number),
    settlement,
  };
}

/** What each of these customers owes on `today` (customers owing nothing get an empty debt). */
export async function getOpenDebts(
  db: Executor,
  tenant: Tenant,
  customerIds: string[],
  today: IsoDate,
): Promise<Map<string, OpenDebt>> {
  const facts = await loadFacts(db, tenant, { customerIds });
  const cutoff = overdueCutoffOf(tenant, today);
  const byCustomer = new Map<string, OpenInvoiceFacts[]>(customerIds.map((id) => [id, []]));
  for (const invoice of facts) byCustomer.get(invoice.customerId)?.push(invoice);
  return new Map(
    [...byCustomer].map(([customerId, own]) => [customerId, openDebtOn(customerId, own, today, cutoff)]),
  );
}

/** What one customer owes on `today`: the customer page, the portal, the banner, messages. */
export async function getOpenDebt(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  today: IsoDate,
): Promise<OpenDebt> {
  return (await getOpenDebts(db, tenant, [customerId], today)).get(customerId)!;
}

/** Like getOpenDebt, refusing an unknown customer. */
export async function requireOpenDebt(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  today: IsoDate,
): Promise<OpenDebt> {
  const exists = await db
    .selectFrom("customers")
    .select("id")
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", customerId)
    .executeTakeFirst();
  if (!exists) throw notFound("Cliente", customerId);
  return getOpenDebt(db, tenant, customerId, today);
}

/**
 * Some invoices as owed on a day each (the dispatcher renders groups of actions, each debtor on
 * the day of its own time zone): invoice id → its line, absent when nothing is owed directly
 * (paid, closed, or covered by an agreement in force).
 */
export class OpenInvoices {
  private readonly tenant: Tenant;
  private readonly facts: Map<string, OpenInvoiceFacts>;
  /** The overdue cut-off of each day asked (a calendar walk, done once per day). */
  private readonly cutoffs = new Map<IsoDate, IsoDate>();
  private constructor(tenant: Tenant, facts: Map<string, OpenInvoiceFacts>) {
    this.tenant = tenant;
    this.facts = facts;
  }

  private cutoffOn(today: IsoDate): IsoDate {
    let cutoff = this.cutoffs.get(today);
    if (cutoff === undefined) {
      cutoff = overdueCutoffOf(this.tenant, today);
      this.cutoffs.set(today, cutoff);
    }
    return cutoff;
  }

  static async load(db: Executor, tenant: Tenant, invoiceIds: string[]): Promise<OpenInvoices> {
    const facts = await loadFacts(db, tenant, { invoiceIds });
    return new OpenInvoices(tenant, new Map(facts.map((invoice) => [invoice.id, invoice])));
  }

  /**
   * The invoice's line on `today` as the rule sees it — an original an agreement in force covers
   * included, marked `owed: false` — or null when nothing is left to pay (paid, closed, unknown).
   */
  lineOn(invoiceId: string, today: IsoDate): OpenDebtInvoice | null {
    const facts = this.facts.get(invoiceId);
    return facts ? openInvoiceOn(facts, today, this.cutoffOn(today)) : null;
  }

  /**
   * The line with the fine and interest charged in total up to `today`, paid or not (the detailed
   * report's composition: principal + charged − paid = what is still due), or null as `lineOn`.
   */
  composedOn(invoiceId: string, today: IsoDate): ComposedInvoice | null {
    const line = this.lineOn(invoiceId, today);
    if (!line) return null;
    const settled = settleInvoice(this.facts.get(invoiceId)!.settlement, today);
    return {
      ...line,
      fineChargedCents: settled.fineChargedCents,
      interestChargedCents: settled.interestChargedCents,
    };
  }

  /** The invoice as owed on `today` with its payment documents for that amount, or null. */
  owedOn(invoiceId: string, today: IsoDate): (OpenDebtInvoice & PaymentLines) | null {
    const invoice = this.lineOn(invoiceId, today);
    return invoice?.owed ? withDocumentsOfDay(this.tenant, invoice, today) : null;
  }
}

export interface ComposedInvoice extends OpenDebtInvoice {
  fineChargedCents: number;
  interestChargedCents: number;
}

export interface PaymentLines {
  /** Boleto and Pix for `totalDueCents` (re-issued for the day when it differs from the face). */
  documents: {
    typeableLine: string | null;
    barcode: string | null;
    pixPayload: string | null;
    dueDate: IsoDate;
  };
}

/**
 * The payment documents for the amount a document states on `today` (the portal's second copy
 * rule, second-copy.service.ts): the stored boleto and Pix while the face amount is what is owed
 * and not yet due; otherwise re-issued for the amount of the day, due today (or on the original
 * date when that is still ahead). Without the tenant's bank or Pix data a stale line is never
 * offered: that document is left out.
 */
export function withDocumentsOfDay(
  tenant: Tenant,
  invoice: OpenDebtInvoice,
  today: IsoDate,
): OpenDebtInvoice & PaymentLines {
  if (invoice.totalDueCents === invoice.originalCents && !invoice.overdue && invoice.dueDate >= today) {
    return {
      ...invoice,
      documents: {
        typeableLine: invoice.typeableLine,
        barcode: null,
        pixPayload: invoice.pixPayload,
        dueDate: invoice.dueDate,
      },
    };
  }
  const dueDate = invoice.dueDate > today ? invoice.dueDate : today;
  const issued = generatePaymentDocuments(tenant, {
    externalId: invoice.externalId,
    amountCents: invoice.totalDueCents,
    dueDate,
    ourNumber: invoice.ourNumber,
  });
  return { ...invoice, documents: { ...issued, dueDate } };
}

/** Every owed invoice of a debt with its documents of the day (letters, banner, messages). */
export function payableWithDocuments(tenant: Tenant, debt: OpenDebt): (OpenDebtInvoice & PaymentLines)[] {
  return debt.invoices
    .filter((invoice) => invoice.owed)
    .map((invoice) => withDocumentsOfDay(tenant, invoice, debt.asOf));
}
