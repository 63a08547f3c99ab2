import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { formatBrl } from "../../domain/money.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { ActorKind } from "../audit/audit.table.ts";
import { settleOneBankPayment } from "../bank-files/bank-payments.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { decideItem, findItems, findSuggestions, lockItem } from "./reconciliation.repository.ts";
import type { Allocation, ReconciliationItemRow, ReconciliationStatus } from "./reconciliation.table.ts";
import {
  type ReconciliationItem,
  type Suggestion,
  type TMatch,
  type TSplit,
  ZMatch,
  ZRefund,
  ZSplit,
} from "./reconciliation.ts";

export interface Decider {
  kind: ActorKind;
  id: string;
}

function itemFromRow(row: ReconciliationItemRow): ReconciliationItem {
  return {
    id: row.id,
    fileId: row.file_id,
    line: row.line,
    reason: row.reason,
    ourNumber: row.our_number,
    payerDocument: row.payer_document,
    paidCents: Number(row.paid_cents),
    paidOn: row.paid_on,
    invoiceId: row.invoice_id,
    status: row.status,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    allocations: row.allocations,
    createdAt: row.created_at,
  };
}

/** The queue (open items by default), each open item with its suggestions. */
export async function listReconciliation(
  db: Executor,
  tenantId: string,
  status: ReconciliationStatus | "all" = "open",
): Promise<(ReconciliationItem & { suggestions: Suggestion[] })[]> {
  const rows = await findItems(db, tenantId, status);
  return Promise.all(
    rows.map(async (row) => ({
      ...itemFromRow(row),
      suggestions:
        row.status === "open"
          ? (await findSuggestions(db, tenantId, row)).map((suggestion) => ({
              invoiceId: suggestion.id,
              externalId: suggestion.external_id,
              customerName: suggestion.name,
              amountCents: Number(suggestion.amount_cents),
              dueDate: suggestion.due_date,
              status: suggestion.status,
              why: suggestion.why as Suggestion["why"],
            }))
          : [],
    })),
  );
}

/** The whole payment goes to one invoice. */
export function matchItem(
  db: Kysely<Database>,
  tenant: Tenant,
  id: string,
  input: TMatch,
  decider: Decider,
  clock: Clock,
) {
  const data = parseInput(ZMatch, input);
  return decide(db, tenant, id, decider, clock, "matched", (item) => [
    { invoiceId: data.invoiceId, amountCents: Number(item.paid_cents) },
  ]);
}

/** The payment is split over several invoices; the parts must add up to what was paid. */
export function splitItem(
  db: Kysely<Database>,
  tenant: Tenant,
  id: string,
  input: TSplit,
  decider: Decider,
  clock: Clock,
) {
  const data = parseInput(ZSplit, input);
  return decide(db, tenant, id, decider, clock, "split", (item) => {
    const total = data.allocations.reduce((sum, part) => sum + part.amountCents, 0);
    if (total !== Number(item.paid_cents)) {
      throw new AppError(
        "validation_failed",
        `allocations: as partes somam ${formatBrl(total)}, mas o pagamento foi de ${formatBrl(Number(item.paid_cents))}`,
        "allocations",
      );
    }
    return data.allocations;
  });
}

/** The money goes back to the payer: no invoice is touched; the decision is recorded. */
export function refundItem(
  db: Kysely<Database>,
  tenant: Tenant,
  id: string,
  input: unknown,
  decider: Decider,
  clock: Clock,
) {
  parseInput(ZRefund, input ?? {});
  return decide(db, tenant, id, decider, clock, "refund", () => []);
}

async function decide(
  db: Kysely<Database>,
  tenant: Tenant,
  id: string,
  decider: Decider,
  clock: Clock,
  status: Exclude<ReconciliationStatus, "open">,
  allocate: (item: ReconciliationItemRow) => { invoiceId: string; amountCents: number }[],
): Promise<ReconciliationItem> {
  const item = /^[0-9a-f-]{36}$/i.test(id) ? await lockItem(db, tenant.id, id) : undefined;
  if (!item) throw notFound("Item de conciliação", id);
  if (item.status !== "open") {
    throw new AppError("conflict", `Este pagamento já foi conciliado (${item.status}); nada mudou`);
  }
  const parts = allocate(item);
  await checkInvoices(
    db,
    tenant.id,
    parts.map((part) => part.invoiceId),
  );
  const paidAt = await noonOf(db, item.paid_on, tenant.timeZone);
  const allocations: Allocation[] = [];
  // payments first (idempotent by external id): a decision retried after a failure pays nothing twice
  for (const [index, part] of parts.entries()) {
    const paymentExternalId = `recon:${item.id}:${index + 1}`;
    await settleOneBankPayment(
      db,
      tenant,
      { externalId: paymentExternalId, invoiceId: part.invoiceId, amountCents: part.amountCents, paidAt },
      clock,
    );
    allocations.push({ ...part, paymentExternalId });
  }
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const locked = await lockItem(trx, tenant.id, item.id);
    if (locked?.status !== "open")
      throw new AppError("conflict", "Este pagamento já foi conciliado por outra pessoa; nada mudou");
    const decided = await decideItem(trx, tenant.id, item.id, {
      status,
      decidedBy: `${decider.kind}:${decider.id}`,
      at: now,
      allocations,
    });
    await recordAudit(trx, {
      tenantId: tenant.id,
      actorKind: decider.kind,
      actorId: decider.id,
      action: `reconciliation.${status}`,
      resourceType: "reconciliation_item",
      resourceId: item.id,
    });
    return itemFromRow(decided);
  });
}

async function checkInvoices(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db
    .selectFrom("invoices")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = ids.find((invoiceId) => !known.has(invoiceId));
  if (missing) throw new AppError("not_found", `invoiceId: fatura ${missing} não encontrada`, "invoiceId");
}

async function noonOf(db: Executor, day: string, timeZone: string): Promise<Date> {
  const result = await sql<{
    at: Date;
  }>`select (${day}::date + interval '12 hours') at time zone ${timeZone} as at`.execute(db);
  return new Date(result.rows[0]!.at);
}
