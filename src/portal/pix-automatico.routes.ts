import type { FastifyReply } from "fastify";
import { pixQrSvg } from "../domain/pix.ts";
import { portalPix as t } from "../i18n/pt-BR/portal-pix.ts";
import { findActiveContractsOfCustomer, findPixSettings } from "../modules/pix/pix.repository.ts";
import {
  liveRecurrenceOf,
  offerRecurrence,
  type PixRecurrence,
} from "../modules/pix/pix-recurrence.service.ts";
import { AppError } from "../shared/errors.ts";
import { copyField, html, type SafeHtml, trusted } from "./html.ts";
import type { PageKit, SignedIn } from "./page-kit.ts";

/**
 * The portal's Pix Automático page: for each active contract of the signed-in debtor, its
 * recurrence's status, or the offer to authorise one by QR Code (authorise only, or pay the next
 * invoice and authorise). The QR Code and its copy-and-paste come from the PSP (GET /rec).
 */
function offerForm(csrf: string, contractId: string): SafeHtml {
  const button = (journey: string, label: string, style: string) =>
    html`<form method="post" action="/portal/pix-automatico"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="contrato" value="${contractId}"><input type="hidden" name="jornada" value="${journey}"><button type="submit" class="button${trusted(style)}">${label}</button></form>`;
  return html`${button("authorise", t.authorise, "")}${button("pay_then_authorise", t.payThenAuthorise, " secondary")}`;
}

async function qrBlock(recurrence: PixRecurrence): Promise<SafeHtml> {
  if (!recurrence.pixCopyPaste) return html`<p>${t.noQr}</p>`;
  const svg = await pixQrSvg(recurrence.pixCopyPaste);
  return html`<section aria-labelledby="qr-title"><h2 id="qr-title">${t.scanTitle}</h2>
<p>${recurrence.journey === "pay_then_authorise" ? t.payThenAuthoriseHelp : t.scanHelp}</p>
<div class="qr" role="img" aria-label="${t.scanTitle}">${trusted(svg)}</div>
${copyField("pix-automatico", t.copyLabel, recurrence.pixCopyPaste, t.copyButton, true)}</section>`;
}

export function registerPixAutomaticoPages({ api, signedInPage, signedInForm, sendPage }: PageKit): void {
  const page = (reply: FastifyReply, status: number, context: SignedIn, body: SafeHtml) =>
    sendPage(reply, status, context, { title: t.title, body, current: "pix" });

  api.app.get(
    "/portal/pix-automatico",
    signedInPage(async ({ reply, context }) => {
      if (!(await findPixSettings(api.db, context.tenant.id)))
        return page(reply, 200, context, html`<p>${t.unavailable}</p>`);
      const contracts = await findActiveContractsOfCustomer(
        api.db,
        context.tenant.id,
        context.session.customerId,
      );
      if (contracts.length === 0) return page(reply, 200, context, html`<p>${t.noContracts}</p>`);
      const items: SafeHtml[] = [];
      for (const contract of contracts) {
        const live = await liveRecurrenceOf(api.db, context.tenant.id, contract.id);
        const state = live
          ? html`<p class="status">${t.status[live.status] ?? live.status}</p>${live.status === "CRIADA" ? await qrBlock(live) : ""}`
          : offerForm(context.session.csrfToken, contract.id);
        items.push(html`<li><h2>${t.contract(contract.plan, contract.external_id)}</h2>${state}</li>`);
      }
      return page(reply, 200, context, html`<p>${t.intro}</p><ul class="cards">${items}</ul>`);
    }),
  );

  api.app.post(
    "/portal/pix-automatico",
    signedInForm(async ({ reply, context, form }) => {
      const journey = form.jornada === "pay_then_authorise" ? "pay_then_authorise" : "authorise";
      try {
        const recurrence = await offerRecurrence(
          api.db,
          context.tenant,
          { contractId: String(form.contrato ?? ""), customerId: context.session.customerId, journey },
          api.context.clock,
        );
        return page(
          reply,
          200,
          context,
          html`<p class="status">${t.status[recurrence.status] ?? recurrence.status}</p>${await qrBlock(recurrence)}<p><a href="/portal/pix-automatico">${t.back}</a></p>`,
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // the contract is not the debtor's or cannot have one (404), or the PSP said no (409)
        const status = error.code === "not_found" || error.code === "validation_failed" ? 404 : 409;
        return page(
          reply,
          status,
          context,
          html`<p>${error.message}</p><p><a href="/portal/pix-automatico">${t.back}</a></p>`,
        );
      }
    }),
  );
}
