import { addDays } from "../domain/dates.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  getAgreement,
  proposeAgreement,
  simulateAgreement,
} from "../modules/agreements/agreement.service.ts";
import type { Agreement } from "../modules/agreements/agreement.ts";
import { agreementCalendar, installmentCalendarLinks } from "../modules/agreements/calendar.ts";
import { portalLinkSigner } from "../modules/portal/portal.service.ts";
import { AppError } from "../shared/errors.ts";
import { agreementPage, negotiatePage } from "./agreements.pages.ts";
import { messagePage } from "./html.ts";
import { type Form, isUuid, type PageKit, portalCreditor, type SignedIn } from "./page-kit.ts";
import { personalPageHeaders } from "./session.ts";

/**
 * Negotiation and agreements: the plans the creditor's settings allow, simulated for the debt of
 * the day; the one the debtor picks becomes a proposed agreement, shown with its installments and
 * their calendar entries (Google, Outlook, an .ics file).
 */
export function registerAgreementPages({ api, signedInPage, signedInForm, sendPage }: PageKit): void {
  const actor = (context: SignedIn) => ({ kind: "portal" as const, customerId: context.session.customerId });

  async function simulation(context: SignedIn) {
    try {
      return await simulateAgreement(
        api.db,
        context.tenant,
        { customerId: context.session.customerId, actor: actor(context) },
        api.context.clock,
      );
    } catch (error) {
      if (error instanceof AppError) return null;
      throw error;
    }
  }

  async function ownAgreement(context: SignedIn, id: string): Promise<Agreement> {
    const agreement = isUuid(id) ? await getAgreement(api.db, context.tenant.id, id) : null;
    if (!agreement || agreement.customerId !== context.session.customerId) {
      throw new AppError("not_found", "Acordo não encontrado");
    }
    return agreement;
  }

  /**
   * Where a calendar entry sends the debtor to pay: a signed link to that installment's second copy,
   * valid until 30 days after its due date (the reminder must still work on the day).
   */
  async function paymentUrls(context: SignedIn) {
    const sign = await portalLinkSigner(api.db, context.tenant.id);
    return (installment: Agreement["installments"][number]) =>
      sign(
        context.session.customerId,
        { kind: "invoice", invoiceId: installment.invoiceId },
        new Date(`${addDays(installment.dueDate, 30)}T23:59:59Z`),
      );
  }

  api.app.get(
    "/portal/negociar",
    signedInPage(async ({ reply, context }) => {
      const simulated = await simulation(context);
      const body =
        !simulated || simulated.options.length === 0
          ? messagePage(simulated ? t.negotiate.none : t.negotiate.unavailable, {
              href: "/portal",
              label: t.errors.back,
            })
          : negotiatePage({ csrf: context.session.csrfToken, simulation: simulated });
      return sendPage(reply, 200, context, { title: t.negotiate.title, body, current: "negotiate" });
    }),
  );

  api.app.post(
    "/portal/negociar",
    signedInForm(async ({ reply, context, form }) => {
      // the options are simulated again: the form only says which one, never the terms
      const simulated = await simulation(context);
      const option = simulated?.options[Number(form.option)];
      if (!simulated || !option) {
        return sendPage(reply, 400, context, {
          title: t.negotiate.title,
          body: messagePage(t.negotiate.unavailable, { href: "/portal/negociar", label: t.negotiate.title }),
          current: "negotiate",
        });
      }
      const agreement = await proposeAgreement(
        api.db,
        context.tenant,
        { customerId: context.session.customerId, terms: option.terms, actor: actor(context) },
        api.context.clock,
      );
      return personalPageHeaders(reply).redirect(`/portal/acordos/${agreement.id}?novo=1`, 303);
    }),
  );

  api.app.get<{ Params: { id: string } }>(
    "/portal/acordos/:id",
    signedInPage(async ({ request, reply, context }) => {
      const agreement = await ownAgreement(context, (request.params as { id: string }).id);
      const paymentUrl = await paymentUrls(context);
      const creditor = portalCreditor(context.tenant);
      const calendar = new Map(
        agreement.installments
          .filter((installment) => installment.status === "open")
          .map((installment) => [
            installment.number,
            installmentCalendarLinks(agreement, installment, creditor, paymentUrl(installment)),
          ]),
      );
      const created = (request.query as Form).novo === "1";
      return sendPage(reply, 200, context, {
        title: t.agreement.title,
        body: agreementPage({ agreement, created, calendar }),
      });
    }),
  );

  api.app.get<{ Params: { id: string } }>(
    "/portal/acordos/:id/agenda.ics",
    signedInPage(async ({ request, reply, context }) => {
      const agreement = await ownAgreement(context, (request.params as { id: string }).id);
      const paymentUrl = await paymentUrls(context);
      const ics = agreementCalendar(agreement, portalCreditor(context.tenant), { paymentUrl });
      return personalPageHeaders(reply)
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", 'attachment; filename="acordo.ics"')
        .send(ics);
    }),
  );
}
