import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import { findPixSettings, listPixTenantIds } from "./pix.repository.ts";
import { issuePendingCobv, removeCobvOfClosedInvoices } from "./pix-charge.service.ts";
import {
  cancelRecurringChargesOfClosedInvoices,
  scheduleRecurringCharges,
} from "./pix-recurrence.service.ts";
import { registerPixWebhooks, type SweepReport, sweepPix } from "./pix-webhook.service.ts";

/** How far back the first sweep of a tenant looks (later sweeps start where the last one ended). */
export const FIRST_SWEEP_HOURS = 24;

export interface PixSyncReport {
  tenantId: string;
  webhookRegistered: boolean;
  issued: number;
  removed: number;
  cancelledRecurring: number;
  scheduledRecurring: number;
  sweep: SweepReport | null;
  errors: string[];
}

/**
 * One pass of the worker over a tenant's Pix: register the webhooks if not yet, create the cobv of
 * new open invoices, remove the cobv and cancel the Pix Automático charges of invoices paid another
 * way, schedule the recurring charges due 2–10 days ahead, and sweep `GET /pix` from where the last
 * sweep ended (Pix whose webhook never arrived). Each step goes on when another fails.
 */
export async function syncTenantPix(
  db: Kysely<Database>,
  tenantId: string,
  clock: Clock,
): Promise<PixSyncReport> {
  const tenant = await getTenant(db, tenantId);
  const report: PixSyncReport = {
    tenantId,
    webhookRegistered: false,
    issued: 0,
    removed: 0,
    cancelledRecurring: 0,
    scheduledRecurring: 0,
    sweep: null,
    errors: [],
  };
  const step = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      report.errors.push(`${name}: ${(error as Error).message}`);
    }
  };
  const settings = await findPixSettings(db, tenantId);
  if (!settings) return report;
  if (!settings.webhook_registered_at) {
    await step("webhook", async () => {
      await registerPixWebhooks(db, tenant, clock);
      report.webhookRegistered = true;
    });
  }
  await step("cobv", async () => {
    const issued = await issuePendingCobv(db, tenant, clock);
    report.issued = issued.issued;
    for (const failure of issued.failed) report.errors.push(`cobv ${failure.invoiceId}: ${failure.error}`);
  });
  await step("remoção", async () => {
    report.removed = (await removeCobvOfClosedInvoices(db, tenant, clock)).removed.length;
  });
  await step("pix automático", async () => {
    report.cancelledRecurring = (
      await cancelRecurringChargesOfClosedInvoices(db, tenant, clock)
    ).cancelled.length;
    report.scheduledRecurring = (await scheduleRecurringCharges(db, tenant, clock)).scheduled;
  });
  await step("varredura", async () => {
    const to = clock.now();
    const from = settings.swept_until ?? new Date(to.getTime() - FIRST_SWEEP_HOURS * 3_600_000);
    if (from < to) report.sweep = await sweepPix(db, tenant, { from, to }, clock);
  });
  return report;
}

/** Every tenant with Pix configured, one after the other. */
export async function syncAllPix(db: Kysely<Database>, clock: Clock): Promise<PixSyncReport[]> {
  const reports: PixSyncReport[] = [];
  for (const tenantId of await listPixTenantIds(db)) reports.push(await syncTenantPix(db, tenantId, clock));
  return reports;
}
