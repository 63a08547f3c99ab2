import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { decimalToCents } from "../../domain/money.ts";
import type { Clock } from "../../shared/clock.ts";
import { getAmountDue } from "../invoices/invoice.service.ts";
import { findPaymentByExternalId } from "../payments/payment.repository.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findChargeByTxid,
  findRecurringCharge,
  insertReceivedIfNew,
  setChargeStatus,
  updateRecurringCharge,
  upsertRefund,
} from "./pix.repository.ts";
import type { PixReceivedTable } from "./pix.table.ts";
import type { TPixReceived } from "./pix-notification.ts";
import { settlePixPayment } from "./pix-payment.ts";

export interface PixReceiptReport {
  endToEndId: string;
  /** the invoice the Pix settled, or null when it went to reconciliation (unknown txid or another amount) */
  invoiceId: string | null;
  /** false when this endToEndId had already been recorded: nothing changed */
  created: boolean;
  refunds: number;
}

/** The invoice a txid names: Régua's cobv or Pix Automático charge; null when it names neither. */
async function invoiceOfTxid(
  db: Kysely<Database>,
  tenantId: string,
  txid: string | undefined,
): Promise<{ invoiceId: string; kind: "cobv" | "cobr" } | null> {
  if (!txid) return null;
  const cobv = await findChargeByTxid(db, tenantId, txid);
  if (cobv) return { invoiceId: cobv.invoice_id, kind: "cobv" };
  const cobr = await findRecurringCharge(db, tenantId, txid);
  return cobr ? { invoiceId: cobr.invoice_id, kind: "cobr" } : null;
}

/**
 * Applies one Pix the PSP reported (by webhook, by the GET /pix sweep, or inside a recurring
 * charge's notification). Idempotent by endToEndId: the payment is recorded as `pix:<endToEndId>`
 * and a second report changes nothing but the refunds' status. The Pix settles the invoice its
 * txid names when it brings exactly the amount due that day (the amount of the day's home:
 * getAmountDue); a Pix naming no charge of Régua, or another amount, is kept as an unmatched
 * payment for the reconciliation queue, never applied.
 */
export async function applyPixReceived(
  db: Kysely<Database>,
  tenant: Tenant,
  pix: TPixReceived,
  source: PixReceivedTable["source"],
  clock: Clock,
): Promise<PixReceiptReport> {
  const externalId = `pix:${pix.endToEndId}`;
  const amountCents = decimalToCents(pix.valor);
  const paidAt = new Date(pix.horario);
  let invoiceId: string | null = null;
  let created = false;
  const already = await findPaymentByExternalId(db, tenant.id, externalId);
  if (already) {
    invoiceId = already.invoice_id;
  } else {
    const target = await invoiceOfTxid(db, tenant.id, pix.txid);
    let matches = false;
    if (target) {
      const due = await getAmountDue(db, tenant, target.invoiceId, todayIn(tenant.timeZone, paidAt));
      matches = due.status !== "paid" && due.totalDueCents === amountCents;
    }
    const report = await settlePixPayment(
      db,
      tenant,
      {
        externalId,
        // unmatched: kept under the txid (or endToEndId) the payer's bank sent, for reconciliation
        ...(target && matches
          ? { invoiceId: target.invoiceId }
          : { invoiceExternalId: `pix:${pix.txid ?? pix.endToEndId}` }),
        amountCents,
        paidAt,
      },
      clock,
    );
    created = report.created;
    invoiceId = report.invoice?.id ?? null;
    if (target && matches && report.invoice?.status === "paid") {
      if (target.kind === "cobv") await setChargeStatus(db, tenant.id, pix.txid!, "CONCLUIDA");
      else await updateRecurringCharge(db, tenant.id, pix.txid!, { status: "CONCLUIDA" });
    }
    await insertReceivedIfNew(db, {
      tenant_id: tenant.id,
      end_to_end_id: pix.endToEndId,
      txid: pix.txid ?? null,
      amount_cents: amountCents,
      paid_at: paidAt,
      payer_info: pix.infoPagador ?? null,
      source,
      payment_id: report.payment.id,
      received_at: clock.now(),
    });
  }
  for (const refund of pix.devolucoes ?? []) {
    await upsertRefund(db, {
      tenant_id: tenant.id,
      end_to_end_id: pix.endToEndId,
      refund_id: refund.id,
      rtr_id: refund.rtrId,
      amount_cents: decimalToCents(refund.valor),
      status: refund.status,
      nature: refund.natureza ?? null,
      requested_at: refund.horario?.solicitacao ? new Date(refund.horario.solicitacao) : null,
      settled_at: refund.horario?.liquidacao ? new Date(refund.horario.liquidacao) : null,
    });
  }
  return { endToEndId: pix.endToEndId, invoiceId, created, refunds: pix.devolucoes?.length ?? 0 };
}
