import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { addDays, todayIn } from "../../domain/dates.ts";
import { centsToDecimal } from "../../domain/money.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { findContractById } from "../contracts/contract.repository.ts";
import { getContract } from "../contracts/contract.service.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { sendBatch } from "../messages/batch-send.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findInvoicesToScheduleCobr,
  findLiveRecurrenceOfContract,
  findNextOpenInvoiceOfContract,
  findRecurrence,
  findRecurrenceByRecId,
  findRecurringCharge,
  findRecurringChargesOfClosedInvoices,
  insertRecurrence,
  insertRecurringCharge,
  updateRecurrence,
  updateRecurringCharge,
} from "./pix.repository.ts";
import type { PixRecurrenceRow, RecurrenceJourney, RecurrenceStatus } from "./pix.table.ts";
import { issueCobv, pixClientOf } from "./pix-charge.service.ts";
import { cobrTxid } from "./pix-cobv.ts";
import { ZRecurrenceNotification, ZRecurringChargeNotification } from "./pix-notification.ts";
import { applyPixReceived } from "./pix-received.service.ts";

/**
 * Glossary (Pix Automático, live since 2025-06-16): a recurrence (`rec`, idRec of 29 characters)
 * is the payer's authorisation for a creditor to charge a contract periodically; the payer gives
 * it in their bank app by reading a QR Code: of the recurrence alone (JORNADA_2, "authorise"), or
 * composed with a charge with due date to pay now (JORNADA_4, "pay then authorise"). Each charge
 * (`cobr`) is sent to the PSP 2 to 10 days before its due date; the payer's PSP debits it on the
 * day and, when the creditor allows (`PERMITE_3R_7D`), retries up to three times in seven days.
 */
export const COBR_MIN_DAYS_AHEAD = 2;
export const COBR_MAX_DAYS_AHEAD = 10;

/** The template that tells the debtor the authorisation ended and boleto/Pix charges are back. */
export const RECURRENCE_ENDED_TEMPLATE = "email.pix-automatico-encerrado";

export interface PixRecurrence {
  id: string;
  contractId: string;
  recId: string | null;
  journey: RecurrenceJourney;
  retryPolicy: "NAO_PERMITE" | "PERMITE_3R_7D";
  status: RecurrenceStatus;
  /** the QR Code the payer reads in their bank app (copy and paste), from the PSP */
  pixCopyPaste: string | null;
  endCode: string | null;
  endReason: string | null;
}

function recurrenceFromRow(row: PixRecurrenceRow): PixRecurrence {
  return {
    id: row.id,
    contractId: row.contract_id,
    recId: row.rec_id,
    journey: row.journey,
    retryPolicy: row.retry_policy,
    status: row.status,
    pixCopyPaste: row.pix_copy_paste,
    endCode: row.end_code,
    endReason: row.end_reason,
  };
}

interface RecCreated {
  idRec: string;
  status: RecurrenceStatus;
}
interface LocRecCreated {
  id: number;
  location: string;
}
interface RecRead {
  idRec: string;
  status: RecurrenceStatus;
  dadosQR?: { jornada?: string; pixCopiaECola?: string };
}

/**
 * Offers Pix Automático for a contract: creates a location (`POST /locrec`) and the recurrence
 * (`POST /rec`) at the PSP, then reads its QR Code (`GET /rec/{idRec}`, with `?txid=` of the first
 * invoice's cobv for pay-then-authorise). A contract has at most one live recurrence: asking
 * again returns it.
 */
export async function offerRecurrence(
  db: Kysely<Database>,
  tenant: Tenant,
  input: { contractId: string; customerId?: string; journey: RecurrenceJourney },
  clock: Clock,
): Promise<PixRecurrence> {
  const contract = await getContract(db, tenant.id, input.contractId);
  if (input.customerId !== undefined && contract.customerId !== input.customerId) {
    throw notFound("Contrato", input.contractId);
  }
  const live = await findLiveRecurrenceOfContract(db, tenant.id, contract.id);
  if (live) return recurrenceFromRow(live);
  const { client, connection } = await pixClientOf(db, tenant.id, clock);
  const today = todayIn(tenant.timeZone, clock.now());
  const first = await findNextOpenInvoiceOfContract(db, tenant.id, contract.id, today);
  if (!first) {
    throw new AppError(
      "conflict",
      `O contrato ${contract.externalId} não tem fatura a vencer para iniciar o Pix Automático`,
    );
  }
  const customer = await getCustomer(db, tenant.id, contract.customerId);
  const document = customer.document.replace(/\D/g, "");
  const name = customer.name.trim().slice(0, 140);
  const location = await client.call<LocRecCreated>("POST", "/locrec");
  const rec = await client.call<RecCreated>("POST", "/rec", {
    vinculo: {
      objeto: `Contrato ${contract.plan}`.slice(0, 35),
      contrato: contract.externalId.slice(0, 35),
      devedor: document.length === 14 ? { cnpj: document, nome: name } : { cpf: document, nome: name },
    },
    calendario: { dataInicial: first.due_date, periodicidade: "MENSAL" },
    politicaRetentativa: connection.recurrenceRetryPolicy,
    loc: location.id,
  });
  let query = "";
  if (input.journey === "pay_then_authorise") {
    const charge = await issueCobv(db, tenant, first.id, clock);
    query = `?txid=${charge.txid}`;
  }
  const read = await client.call<RecRead>("GET", `/rec/${rec.idRec}${query}`);
  const row = await insertRecurrence(db, {
    tenant_id: tenant.id,
    contract_id: contract.id,
    customer_id: contract.customerId,
    rec_id: rec.idRec,
    journey: input.journey,
    retry_policy: connection.recurrenceRetryPolicy,
    status: read.status,
    location: location.location,
    pix_copy_paste: read.dadosQR?.pixCopiaECola ?? null,
    first_invoice_id: first.id,
    end_code: null,
    end_reason: null,
  });
  return recurrenceFromRow(row);
}

export async function getRecurrence(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<PixRecurrence> {
  const row = await findRecurrence(db, tenantId, id);
  if (!row) throw notFound("Recorrência Pix", id);
  return recurrenceFromRow(row);
}

/** The contract's live recurrence (created or approved), or null. */
export async function liveRecurrenceOf(
  db: Kysely<Database>,
  tenantId: string,
  contractId: string,
): Promise<PixRecurrence | null> {
  if (!(await findContractById(db, tenantId, contractId))) throw notFound("Contrato", contractId);
  const row = await findLiveRecurrenceOfContract(db, tenantId, contractId);
  return row ? recurrenceFromRow(row) : null;
}

const ENDED: readonly RecurrenceStatus[] = ["REJEITADA", "CANCELADA", "EXPIRADA"];

/**
 * `POST …/rec` from the PSP: a recurrence approved, rejected, cancelled or expired. When it ends
 * the contract falls back to cobv and boleto (they were never withdrawn) and the debtor is told by
 * e-mail, once, through the régua's own dispatch (a batch send of RECURRENCE_ENDED_TEMPLATE).
 */
export async function receiveRecurrenceNotification(
  db: Kysely<Database>,
  tenant: Tenant,
  body: unknown,
  clock: Clock,
): Promise<{ updated: number }> {
  const { recs } = parseInput(ZRecurrenceNotification, body);
  let updated = 0;
  for (const rec of recs) {
    const row = await findRecurrenceByRecId(db, tenant.id, rec.idRec);
    if (!row) continue;
    const ending = rec.encerramento?.rejeicao ?? rec.encerramento?.cancelamento;
    const saved = await updateRecurrence(db, tenant.id, row.id, {
      status: rec.status,
      end_code: ending?.codigo ?? row.end_code,
      end_reason: ending?.descricao ?? row.end_reason,
    });
    updated += 1;
    if (ENDED.includes(rec.status) && !saved.fallback_notified_at) {
      await sendBatch(
        db,
        tenant,
        {
          template: RECURRENCE_ENDED_TEMPLATE,
          filter: "open",
          customerIds: [row.customer_id],
          dryRun: false,
        },
        clock,
      );
      await updateRecurrence(db, tenant.id, row.id, { fallback_notified_at: clock.now() });
    }
  }
  return { updated };
}

/**
 * Schedules at the PSP the recurring charges of invoices due 2 to 10 days ahead on contracts with
 * an approved recurrence (`PUT /cobr/{txid}`, with ajusteDiaUtil so a due date on a holiday moves
 * to the next business day). The receiver's account is the tenant's boleto account.
 */
export async function scheduleRecurringCharges(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
): Promise<{ scheduled: number }> {
  const today = todayIn(tenant.timeZone, clock.now());
  const due = await findInvoicesToScheduleCobr(
    db,
    tenant.id,
    addDays(today, COBR_MIN_DAYS_AHEAD),
    addDays(today, COBR_MAX_DAYS_AHEAD),
  );
  if (due.length === 0) return { scheduled: 0 };
  if (!tenant.boletoAccount) {
    throw new AppError(
      "conflict",
      "Pix Automático: informe a conta do credor (boletoAccount) para receber as cobranças",
    );
  }
  const { client } = await pixClientOf(db, tenant.id, clock);
  let scheduled = 0;
  for (const invoice of due) {
    const txid = cobrTxid(invoice.invoiceId);
    const amountCents = invoice.amountCents - invoice.paidCents;
    const created = await client.call<{ status: "CRIADA" | "ATIVA" }>("PUT", `/cobr/${txid}`, {
      idRec: invoice.recId,
      infoAdicional: `Fatura ${invoice.externalId}`.slice(0, 140),
      calendario: { dataDeVencimento: invoice.dueDate },
      valor: { original: centsToDecimal(amountCents) },
      ajusteDiaUtil: true,
      recebedor: {
        conta: tenant.boletoAccount,
        tipoConta: "CORRENTE",
        ...(tenant.boletoAgency ? { agencia: tenant.boletoAgency.slice(0, 4) } : {}),
      },
    });
    await insertRecurringCharge(db, {
      tenant_id: tenant.id,
      txid,
      recurrence_id: invoice.recurrenceId,
      invoice_id: invoice.invoiceId,
      status: created.status,
      due_date: invoice.dueDate,
      amount_cents: amountCents,
      end_code: null,
    });
    scheduled += 1;
  }
  return { scheduled };
}

/**
 * `POST …/cobr` from the PSP: a recurring charge's status and the Pix that paid it. The Pix are
 * applied like any other (idempotent by endToEndId, through the payments use case); a rejected,
 * cancelled or expired charge leaves the invoice open, so the régua goes on with boleto and cobv.
 */
export async function receiveRecurringChargeNotification(
  db: Kysely<Database>,
  tenant: Tenant,
  body: unknown,
  clock: Clock,
): Promise<{ updated: number; paid: number }> {
  const { cobsr } = parseInput(ZRecurringChargeNotification, body);
  let updated = 0;
  let paid = 0;
  for (const cobr of cobsr) {
    const row = await findRecurringCharge(db, tenant.id, cobr.txid);
    if (!row) continue;
    for (const pix of cobr.pix ?? []) {
      const receipt = await applyPixReceived(db, tenant, pix, "cobr", clock);
      if (receipt.created && receipt.invoiceId) paid += 1;
    }
    const ending = cobr.encerramento?.rejeicao ?? cobr.encerramento?.cancelamento;
    await updateRecurringCharge(db, tenant.id, cobr.txid, {
      status: cobr.status,
      end_code: ending?.codigo ?? row.end_code,
    });
    updated += 1;
  }
  return { updated, paid };
}

/**
 * A recurring charge whose invoice got paid another way (boleto, cobv) is cancelled at the PSP
 * (`PATCH /cobr/{txid}` status CANCELADA), so the payer is not debited twice.
 */
export async function cancelRecurringChargesOfClosedInvoices(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
): Promise<{ cancelled: string[] }> {
  const rows = await findRecurringChargesOfClosedInvoices(db, tenant.id);
  if (rows.length === 0) return { cancelled: [] };
  const { client } = await pixClientOf(db, tenant.id, clock);
  for (const { txid } of rows) {
    await client.call("PATCH", `/cobr/${txid}`, { status: "CANCELADA" });
    await updateRecurringCharge(db, tenant.id, txid, { status: "CANCELADA" });
  }
  return { cancelled: rows.map((row) => row.txid) };
}
