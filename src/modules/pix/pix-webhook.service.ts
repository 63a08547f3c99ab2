import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { routedTenantId, routeOfToken } from "../tenants/token-route.ts";
import { findPixSettingsByWebhookToken, markPixSettings } from "./pix.repository.ts";
import { pixClientOf } from "./pix-charge.service.ts";
import { type TPixReceived, ZPixNotification, ZPixReceived } from "./pix-notification.ts";
import { applyPixReceived, type PixReceiptReport } from "./pix-received.service.ts";
import { pixWebhookUrl } from "./pix-settings.service.ts";

/**
 * Registers Régua's URLs at the PSP: `PUT /webhook/{chave}` for Pix received (the PSP POSTs to
 * `<url>/pix`), `PUT /webhookrec` and `PUT /webhookcobr` for Pix Automático. The random token in
 * the URL names the tenant; the PSP's side of the mutual TLS is checked by the reverse proxy that
 * terminates TLS in front of Régua (see docs/pix.md).
 */
export async function registerPixWebhooks(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
): Promise<{ webhookUrl: string; recurrencesUrl: string; recurringChargesUrl: string }> {
  const { client, connection } = await pixClientOf(db, tenant.id, clock);
  const webhookUrl = pixWebhookUrl(connection.webhookToken);
  const urls = { webhookUrl, recurrencesUrl: `${webhookUrl}/rec`, recurringChargesUrl: `${webhookUrl}/cobr` };
  await client.call("PUT", `/webhook/${encodeURIComponent(connection.receiverKey)}`, { webhookUrl });
  await client.call("PUT", "/webhookrec", { webhookUrl: urls.recurrencesUrl });
  await client.call("PUT", "/webhookcobr", { webhookUrl: urls.recurringChargesUrl });
  await markPixSettings(db, tenant.id, { webhook_registered_at: clock.now() });
  return urls;
}

/** The tenant whose webhook URL carries this token, or 404 (an unknown token reveals nothing). */
export async function tenantOfWebhookToken(db: Kysely<Database>, token: string): Promise<Tenant> {
  const route = await routeOfToken(db, token);
  const settings = route ? await findPixSettingsByWebhookToken(db, routedTenantId(route), token) : undefined;
  if (!settings) throw new AppError("not_found", "Webhook Pix desconhecido");
  return getTenant(db, settings.tenant_id);
}

/** `POST …/pix`: every Pix of the notification, each idempotent by its endToEndId. */
export async function receivePixNotification(
  db: Kysely<Database>,
  tenant: Tenant,
  body: unknown,
  clock: Clock,
): Promise<PixReceiptReport[]> {
  const { pix } = parseInput(ZPixNotification, body);
  const reports: PixReceiptReport[] = [];
  for (const item of pix) reports.push(await applyPixReceived(db, tenant, item, "webhook", clock));
  return reports;
}

interface PixListPage {
  parametros: { paginacao: { paginaAtual: number; quantidadeDePaginas: number } };
  pix?: unknown[];
}

export interface SweepReport {
  from: string;
  to: string;
  seen: number;
  /** Pix that had not reached Régua (missed webhooks), now applied */
  applied: number;
  unmatched: number;
}

/**
 * Catch-up after downtime: `GET /pix?inicio&fim` page by page, each Pix applied like a webhook
 * (those already recorded change nothing). Advances the tenant's swept-until mark.
 */
export async function sweepPix(
  db: Kysely<Database>,
  tenant: Tenant,
  range: { from: Date; to: Date },
  clock: Clock,
): Promise<SweepReport> {
  if (!(range.from < range.to)) throw validationError("from", "from: o início deve ser anterior ao fim");
  const { client } = await pixClientOf(db, tenant.id, clock);
  const inicio = range.from.toISOString();
  const fim = range.to.toISOString();
  const report: SweepReport = { from: inicio, to: fim, seen: 0, applied: 0, unmatched: 0 };
  for (let page = 0; ; page += 1) {
    const query = new URLSearchParams({ inicio, fim, "paginacao.paginaAtual": String(page) });
    const answer = await client.call<PixListPage>("GET", `/pix?${query}`);
    for (const raw of answer.pix ?? []) {
      const pix: TPixReceived = parseInput(ZPixReceived, raw);
      report.seen += 1;
      const receipt = await applyPixReceived(db, tenant, pix, "sweep", clock);
      if (receipt.created) report.applied += 1;
      if (receipt.created && receipt.invoiceId === null) report.unmatched += 1;
    }
    if (page + 1 >= answer.parametros.paginacao.quantidadeDePaginas) break;
  }
  await markPixSettings(db, tenant.id, { swept_until: range.to });
  return report;
}
