import { pixQrSvg } from "../domain/pix.ts";
import type { Api } from "../http/api.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import { listAgreements } from "../modules/agreements/agreement.service.ts";
import { getCustomer } from "../modules/customers/customer.service.ts";
import { portalOverview } from "../modules/portal/portal.service.ts";
import { getSecondCopy } from "../modules/second-copy/second-copy.service.ts";
import { secondCopyFileName, secondCopyPdf } from "../modules/second-copy/second-copy-pdf.ts";
import { AppError } from "../shared/errors.ts";
import { homePage, secondCopyPage } from "./invoices.pages.ts";
import { isUuid, type PageKit, type SignedIn } from "./page-kit.ts";
import { personalPageHeaders } from "./session.ts";

/**
 * The home page (the open invoices with the amount of the day, the standing, the agreements) and
 * an invoice's second copy of the day: Pix, boleto line and PDF.
 */
export function registerInvoicePages({ api, signedInPage, sendPage }: PageKit): void {
  async function secondCopyOf(context: SignedIn, invoiceId: string) {
    if (!isUuid(invoiceId)) throw new AppError("not_found", "Fatura não encontrada");
    return getSecondCopy(api.db, context.tenant, invoiceId, {
      date: context.today,
      today: context.today,
      customerId: context.session.customerId,
    });
  }

  api.app.get(
    "/portal",
    signedInPage(async ({ reply, context }) => {
      const { tenant, today, session } = context;
      const overview = await portalOverview(api.readDb, tenant, session.customerId, today, api.context.clock);
      const agreements = await customerAgreements(api, tenant.id, session.customerId);
      const blocked = overview.standing.status === "suspended" || overview.standing.status === "cancelled";
      const title = blocked
        ? overview.standing.status === "cancelled"
          ? t.suspended.cancelledTitle
          : t.suspended.title
        : t.home.title;
      return sendPage(reply, 200, context, {
        title,
        body: homePage({ overview, today, agreements, timeZone: tenant.timeZone }),
        current: "home",
      });
    }),
  );

  api.app.get<{ Params: { id: string } }>(
    "/portal/faturas/:id",
    signedInPage(async ({ request, reply, context }) => {
      const copy = await secondCopyOf(context, (request.params as { id: string }).id);
      const qr = copy.pixPayload ? await pixQrSvg(copy.pixPayload) : null;
      const title = t.invoice.title(copy.invoice.description || copy.invoice.externalId);
      return sendPage(reply, 200, context, { title, body: secondCopyPage(copy, qr) });
    }),
  );

  api.app.get<{ Params: { id: string } }>(
    "/portal/faturas/:id/segunda-via.pdf",
    signedInPage(async ({ request, reply, context }) => {
      const copy = await secondCopyOf(context, (request.params as { id: string }).id);
      const customer = await getCustomer(api.db, context.tenant.id, context.session.customerId);
      const pdf = await secondCopyPdf(context.tenant, customer, copy);
      return personalPageHeaders(reply)
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${secondCopyFileName(copy)}"`)
        .send(pdf);
    }),
  );
}

/** The customer's agreements for the home page; none while the agreements module cannot answer. */
async function customerAgreements(api: Api, tenantId: string, customerId: string) {
  try {
    const agreements = await listAgreements(api.db, tenantId, { customerId });
    return agreements.map((agreement) => ({
      id: agreement.id,
      createdAt: agreement.createdAt,
      status: agreement.status,
    }));
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}
