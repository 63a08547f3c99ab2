import type { FastifyReply, FastifyRequest } from "fastify";
import { formatDocument } from "../domain/documents.ts";
import { pixQrSvg } from "../domain/pix.ts";
import type { Api } from "../http/api.ts";
import { tenantOf } from "../http/tenant-context.ts";
import { portal } from "../i18n/pt-BR/portal.ts";
import { portalPix as t } from "../i18n/pt-BR/portal-pix.ts";
import { findActiveContractsOfCustomer, findPixSettings } from "../modules/pix/pix.repository.ts";
import {
  liveRecurrenceOf,
  offerRecurrence,
  type PixRecurrence,
} from "../modules/pix/pix-recurrence.service.ts";
import { resolvePortalSession } from "../modules/portal/portal.service.ts";
import type { PortalSession } from "../modules/portal/portal.ts";
import type { Tenant } from "../modules/tenants/tenant.ts";
import { AppError } from "../shared/errors.ts";
import { copyField, html, layout, type SafeHtml, trusted } from "./html.ts";
import { clearSessionCookie, personalPageHeaders, readSessionCookie, sameToken } from "./session.ts";

/**
 * The portal's Pix Automático page: for each active contract of the signed-in debtor, its
 * recurrence's status, or the offer to authorise one by QR Code (authorise only, or pay the next
 * invoice and authorise). The QR Code and its copy-and-paste come from the PSP (GET /rec).
 */
interface Signed {
  session: PortalSession;
  tenant: Tenant;
}

function page(reply: FastifyReply, status: number, signed: Signed | null, body: SafeHtml): FastifyReply {
  const creditor = signed
    ? { name: signed.tenant.legalName, document: formatDocument(signed.tenant.document) }
    : null;
  return personalPageHeaders(reply)
    .status(status)
    .type("text/html; charset=utf-8")
    .send(
      layout({
        title: t.title,
        creditor,
        ...(signed ? { csrfToken: signed.session.csrfToken } : {}),
        body,
      }),
    );
}

async function signedIn(api: Api, request: FastifyRequest, reply: FastifyReply): Promise<Signed | null> {
  const session = await resolvePortalSession(api.db, readSessionCookie(request), api.context.clock.now());
  if (!session) {
    clearSessionCookie(reply);
    page(reply, 401, null, html`<p>${portal.link.sessionEndedBody}</p>`);
    return null;
  }
  return { session, tenant: (await tenantOf(api, session.tenantId)).tenant };
}

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

export function registerPixPortalPages(api: Api): void {
  api.app.get("/portal/pix-automatico", async (request, reply) => {
    const signed = await signedIn(api, request, reply);
    if (!signed) return reply;
    if (!(await findPixSettings(api.db, signed.tenant.id)))
      return page(reply, 200, signed, html`<p>${t.unavailable}</p>`);
    const contracts = await findActiveContractsOfCustomer(
      api.db,
      signed.tenant.id,
      signed.session.customerId,
    );
    if (contracts.length === 0) return page(reply, 200, signed, html`<p>${t.noContracts}</p>`);
    const items: SafeHtml[] = [];
    for (const contract of contracts) {
      const live = await liveRecurrenceOf(api.db, signed.tenant.id, contract.id);
      const state = live
        ? html`<p class="status">${t.status[live.status] ?? live.status}</p>${live.status === "CRIADA" ? await qrBlock(live) : ""}`
        : offerForm(signed.session.csrfToken, contract.id);
      items.push(html`<li><h2>${t.contract(contract.plan, contract.external_id)}</h2>${state}</li>`);
    }
    return page(reply, 200, signed, html`<p>${t.intro}</p><ul class="cards">${items}</ul>`);
  });

  api.app.post("/portal/pix-automatico", async (request, reply) => {
    const signed = await signedIn(api, request, reply);
    if (!signed) return reply;
    const form = (request.body ?? {}) as Record<string, string>;
    if (!sameToken(signed.session.csrfToken, form.csrf)) {
      return page(reply, 403, signed, html`<p>${portal.identity.formExpired}</p>`);
    }
    const journey = form.jornada === "pay_then_authorise" ? "pay_then_authorise" : "authorise";
    try {
      const recurrence = await offerRecurrence(
        api.db,
        signed.tenant,
        { contractId: String(form.contrato ?? ""), customerId: signed.session.customerId, journey },
        api.context.clock,
      );
      return page(
        reply,
        200,
        signed,
        html`<p class="status">${t.status[recurrence.status] ?? recurrence.status}</p>${await qrBlock(recurrence)}<p><a href="/portal/pix-automatico">${t.back}</a></p>`,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const status = error.code === "not_found" || error.code === "validation_failed" ? 404 : 409;
      return page(
        reply,
        status,
        signed,
        html`<p>${error.message}</p><p><a href="/portal/pix-automatico">${t.back}</a></p>`,
      );
    }
  });
}
