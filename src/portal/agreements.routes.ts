import type { FastifyReply } from "fastify";
import { addDays } from "../domain/dates.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  getAgreement,
  previewAgreement,
  proposeAgreement,
  simulateAgreement,
} from "../modules/agreements/agreement.service.ts";
import type { Agreement } from "../modules/agreements/agreement.ts";
import { agreementCalendar, installmentCalendarLinks } from "../modules/agreements/calendar.ts";
import { portalLinkSigner } from "../modules/portal/portal.service.ts";
import { AppError } from "../shared/errors.ts";
import { agreementPage, negotiatePage, reviewPage } from "./agreements.pages.ts";
import { messagePage } from "./html.ts";
import { type Form, isUuid, type PageKit, portalCreditor, type SignedIn } from "./page-kit.ts";
import { personalPageHeaders } from "./session.ts";

/**
 * Negotiation and agreements: the plans the creditor's settings allow, simulated for the debt of
 * the day; the one the debtor picks is shown for review (nothing made yet) and, once confirmed,
 * becomes a proposed agreement, shown with its installments and their calendar entries (Google,
 * Outlook, an .ics file).
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

  /**
   * The option the form names, simulated again (the form never carries terms) and previewed as
   * the proposal would make it; null when it no longer exists.
   */
  async function chosen(context: SignedIn, form: Form) {
    const simulated = await simulation(context);
    const index = Number(form.option);
    const option = Number.isInteger(index) ? simulated?.options[index] : undefined;
    if (!option) return null;
    const input = { customerId: context.session.customerId, terms: option.terms, actor: actor(context) };
    const preview = await previewAgreement(api.db, context.tenant, input, api.context.clock);
    return { index, input, preview };
  }

  const unavailable = (reply: FastifyReply, context: SignedIn) =>
    sendPage(reply, 400, context, {
      title: t.negotiate.title,
      body: messagePage(t.negotiate.unavailable, { href: "/portal/negociar", label: t.negotiate.title }),
      current: "negotiate",
    });

  const review = (
    reply: FastifyReply,
    context: SignedIn,
    choice: NonNullable<Awaited<ReturnType<typeof chosen>>>,
    changed: boolean,
  ) =>
    sendPage(reply, 200, context, {
      title: t.negotiate.reviewTitle,
      body: reviewPage({
        csrf: context.session.csrfToken,
        option: choice.index,
        preview: choice.preview,
        changed,
      }),
      current: "negotiate",
    });

  api.app.post(
    "/portal/negociar",
    signedInForm(async ({ reply, context, form }) => {
      const choice = await chosen(context, form);
      return choice ? review(reply, context, choice, false) : unavailable(reply, context);
    }),
  );

  api.app.post(
    "/portal/negociar/confirmar",
    signedInForm(async ({ reply, context, form }) => {
      const choice = await chosen(context, form);
      if (!choice) return unavailable(reply, context);
      // what is made is what was reviewed: a plan whose total moved (a new day, a payment) is shown again
      if (String(choice.preview.totalCents) !== form.total) return review(reply, context, choice, true);
      const agreement = await proposeAgreement(api.db, context.tenant, choice.input, api.context.clock);
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
