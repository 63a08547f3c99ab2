import { formatBrazilianDate } from "../domain/dates.ts";
import { campaignsText } from "../i18n/pt-BR/campaigns.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import { acceptOffer, offerState } from "../modules/campaigns/campaign.service.ts";
import type { CampaignOfferTerms } from "../modules/campaigns/campaign.ts";
import { offerSummary } from "../modules/campaigns/campaign-message.ts";
import { AppError } from "../shared/errors.ts";
import { reviewPage } from "./agreements.pages.ts";
import { html, messagePage } from "./html.ts";
import { isUuid, type PageKit, type SignedIn } from "./page-kit.ts";
import { personalPageHeaders } from "./session.ts";

const text = campaignsText.portal;

/**
 * A campaign's offer (src/modules/campaigns), reached through the signed link its message carried:
 * the pre-approved agreement reviewed exactly as it would be made (the agreements' preview) and,
 * once confirmed, proposed through the agreements' use case like any other. An expired, accepted
 * or no longer possible offer says so.
 */
export function registerOfferPages({ api, signedInPage, signedInForm, sendPage }: PageKit): void {
  async function stateOf(context: SignedIn, id: string) {
    if (!isUuid(id)) throw new AppError("not_found", text.notFound);
    return offerState(api.db, context.tenant, id, context.session.customerId, api.context.clock);
  }

  const page = (
    reply: Parameters<PageKit["sendPage"]>[0],
    context: SignedIn,
    status: number,
    body: ReturnType<typeof html>,
  ) => sendPage(reply, status, context, { title: text.title, body, current: "negotiate" });

  async function show(
    reply: Parameters<PageKit["sendPage"]>[0],
    context: SignedIn,
    id: string,
    changed: boolean,
  ) {
    const state = await stateOf(context, id);
    const until = formatBrazilianDate(state.campaign.valid_until);
    if (state.kind === "accepted") {
      return page(
        reply,
        context,
        200,
        messagePage(text.accepted, {
          href: `/portal/acordos/${state.agreementId}`,
          label: text.seeAgreement,
        }),
      );
    }
    if (state.kind === "expired") {
      return page(
        reply,
        context,
        410,
        messagePage(text.expired(until), { href: "/portal/negociar", label: t.negotiate.title }),
      );
    }
    if (state.kind === "unavailable") {
      return page(
        reply,
        context,
        409,
        messagePage(text.unavailable, { href: "/portal/negociar", label: t.negotiate.title }),
      );
    }
    const summary = offerSummary(state.campaign.terms as CampaignOfferTerms);
    const body = html`<p class="notice">${text.intro(summary, until)}</p>
${reviewPage({
  csrf: context.session.csrfToken,
  option: 0,
  preview: state.preview,
  changed,
  action: `/portal/ofertas/${id}/aceitar`,
  backHref: "/portal",
})}`;
    return page(reply, context, 200, body);
  }

  api.app.get<{ Params: { id: string } }>(
    "/portal/ofertas/:id",
    signedInPage(async ({ request, reply, context }) =>
      show(reply, context, (request.params as { id: string }).id, false),
    ),
  );

  api.app.post<{ Params: { id: string } }>(
    "/portal/ofertas/:id/aceitar",
    signedInForm(async ({ request, reply, context, form }) => {
      const id = (request.params as { id: string }).id;
      const state = await stateOf(context, id);
      // what is made is what was reviewed: a total that moved is shown again, as in Negociar
      if (state.kind !== "open" || String(state.preview.totalCents) !== form.total) {
        return show(reply, context, id, state.kind === "open");
      }
      const agreement = await acceptOffer(api.db, context.tenant, state, api.context.clock);
      return personalPageHeaders(reply).redirect(`/portal/acordos/${agreement.id}?novo=1`, 303);
    }),
  );
}
