import { z } from "zod";
import { pixQrSvg } from "../../domain/pix.ts";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { standing as text } from "../../i18n/pt-BR/standing.ts";
import { AppError } from "../../shared/errors.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { getLoginStanding, type LoginStanding } from "./login-standing.service.ts";
import { reopenCustomer } from "./standing.service.ts";
import { mintStandingToken, resolveStandingToken } from "./standing-token.service.ts";

const ZTokenQuery = z.object({ token: z.string().min(10).max(200) });

/** Links to pay each pending invoice, from the API (with a key) or from the embedded banner (with a token). */
function withApiLinks(standing: LoginStanding) {
  return {
    ...standing,
    pending: standing.pending.map((invoice) => ({
      ...invoice,
      links: {
        secondCopy: `/v1/invoices/${invoice.id}/second-copy`,
        secondCopyPdf: `/v1/invoices/${invoice.id}/second-copy.pdf`,
        pixQrSvg: `/v1/invoices/${invoice.id}/second-copy?format=svg`,
      },
    })),
  };
}

/** Standing for login screens: `GET /v1/customers/{id}/standing` and the embeddable banner. */
export function registerStandingRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/customers/:id/standing",
    tag: "Situação",
    summary: "Situação do cliente para a tela de login: status, dias de atraso, mensagem e o que pagar",
    description:
      "warning a partir de warningDays de atraso (padrão 5) e bloqueio (suspended) a partir de suspendedDays " +
      "(padrão 20), limites da régua que governa a fatura mais antiga em aberto.",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) =>
      withApiLinks(await getLoginStanding(api.db, tenantId, params.id, api.context.clock)),
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/standing-token",
    tag: "Situação",
    summary: "Cria um token curto para o banner embutido na página de login (standing.js)",
    permission: "read",
    params: ZIdParams,
    body: z.strictObject({ ttlMinutes: z.number().int().min(1).max(1440).default(60) }),
    status: 201,
    handler: async ({ tenantId, params, body }) =>
      mintStandingToken(api.db, tenantId, params.id, api.context.clock.now(), body.ttlMinutes),
  });

  api.route({
    method: "GET",
    url: "/embed/standing",
    tag: "Situação",
    summary: "A situação lida pelo banner embutido, com o token do cliente (CORS aberto)",
    permission: "public",
    query: ZTokenQuery,
    handler: async ({ query, reply }) => {
      reply.header("access-control-allow-origin", "*");
      reply.header("cache-control", "no-store");
      const { tenantId, customerId } = await resolveStandingToken(
        api.db,
        query.token,
        api.context.clock.now(),
      );
      const standing = await getLoginStanding(api.db, tenantId, customerId, api.context.clock);
      const token = encodeURIComponent(query.token);
      return {
        ...standing,
        pending: standing.pending.map((invoice) => ({
          ...invoice,
          links: {
            pixQrSvg: `/embed/qr.svg?token=${token}&invoiceId=${invoice.id}`,
            secondCopyPdf: `/embed/second-copy.pdf?token=${token}&invoiceId=${invoice.id}`,
          },
        })),
      };
    },
  });

  api.route({
    method: "GET",
    url: "/embed/qr.svg",
    tag: "Situação",
    summary: "QR Code do Pix de uma fatura pendente, para o banner embutido",
    permission: "public",
    query: ZTokenQuery.extend({ invoiceId: z.uuid() }),
    produces: "image/svg+xml",
    handler: async ({ query, reply }) => {
      reply.header("access-control-allow-origin", "*");
      const { tenantId, customerId } = await resolveStandingToken(
        api.db,
        query.token,
        api.context.clock.now(),
      );
      const standing = await getLoginStanding(api.db, tenantId, customerId, api.context.clock);
      const invoice = standing.pending.find((candidate) => candidate.id === query.invoiceId);
      if (!invoice?.pixPayload) throw new AppError("not_found", "Fatura pendente com Pix não encontrada");
      return reply.type("image/svg+xml").send(await pixQrSvg(invoice.pixPayload));
    },
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/reopen",
    tag: "Situação",
    summary:
      "Reabre um cliente cancelado, com motivo: volta a em dia e os prazos da régua contam da reabertura",
    description:
      "Registra a transição (cancelled → ok) com o motivo e emite customer.standing_changed; o atraso " +
      "passa a contar do dia da reabertura, então o cliente só volta a ser avisado, suspenso ou cancelado " +
      "quando os limites da régua vencerem de novo a partir dela.",
    permission: "write",
    params: ZIdParams,
    body: z.strictObject({
      reason: z
        .string({ error: text.reopen.reasonRequired })
        .trim()
        .min(1, { error: text.reopen.reasonRequired })
        .max(500),
    }),
    response: z.object({
      customerId: z.uuid(),
      standing: z.enum(["ok", "warning", "suspended", "cancelled"]),
      reopenedOn: z.string(),
      reason: z.string(),
    }),
    handler: async ({ tenantId, params, body, request }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      await getCustomer(api.db, tenantId, params.id);
      await reopenCustomer(api.db, tenant.id, params.id, body.reason, today, api.context.clock.now());
      request.auditResource = { type: "customer", id: params.id };
      const standing = await getLoginStanding(api.db, tenantId, params.id, api.context.clock);
      return {
        customerId: params.id,
        standing: standing.status,
        reopenedOn: today,
        reason: text.reopen.reason(body.reason.trim()),
      };
    },
  });

  api.route({
    method: "GET",
    url: "/embed/standing.js",
    tag: "Situação",
    summary: "Script para a página de login do credor: mostra o aviso e, bloqueado, ainda oferece o boleto",
    description:
      '<script src="https://REGUA/embed/standing.js" data-token="st_…" async></script> — o token vem de ' +
      "POST /v1/customers/{id}/standing-token, gerado pelo backend do credor a cada login. Opcional: " +
      'data-block="#seletor" (o que esconder quando bloqueado; padrão: o formulário da página).',
    permission: "public",
    produces: "application/javascript",
    handler: async ({ reply }) => {
      reply.header("cache-control", "public, max-age=300");
      return reply.type("application/javascript; charset=utf-8").send(EMBED_SCRIPT);
    },
  });
}

/**
 * The banner. Plain ES2017, no dependencies, styles inline so the creditor's CSS cannot break it.
 * Warning: a dismissible yellow bar. Blocked (suspended/cancelled): the form named by data-block
 * is hidden and a panel shows the message, the total of the day and each pending invoice's boleto
 * line, Pix copy-and-paste code and QR Code for the amount of the day, with a printable second copy
 * (PDF), so the debtor can still pay.
 */
const EMBED_SCRIPT = `(function () {
  "use strict";
  var TEXT = ${JSON.stringify(text.banner)};
  var script = document.currentScript;
  if (!script) return;
  var token = script.getAttribute("data-token");
  if (!token) return;
  var base = new URL(script.src, location.href).origin;
  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) node.setAttribute("style", style);
    if (text) node.textContent = text;
    return node;
  }
  function brl(cents) {
    return (cents / 100).toLocaleString("pt-BR", { style: "currency", currency: "BRL" });
  }
  function day(iso) {
    return iso.split("-").reverse().join("/");
  }
  function copyButton(value, label) {
    var button = el("button", "margin:4px 4px 4px 0;padding:4px 10px;border:1px solid #555;border-radius:4px;background:#fff;cursor:pointer", label);
    button.type = "button";
    button.addEventListener("click", function () {
      if (navigator.clipboard) navigator.clipboard.writeText(value);
      button.textContent = TEXT.copied;
    });
    return button;
  }
  function pendingList(standing) {
    var list = el("div", "margin-top:8px");
    list.appendChild(el("div", "font-weight:bold", TEXT.totalToday + ": " + brl(standing.amountDueCents)));
    standing.pending.forEach(function (invoice) {
      var item = el("div", "border-top:1px solid #ddd;padding:8px 0");
      item.setAttribute("data-regua-invoice", invoice.id);
      item.appendChild(el("div", "font-weight:bold", (invoice.description || invoice.externalId) + " — " + TEXT.dueOn + " " +
        day(invoice.dueDate) + " — " + brl(invoice.totalDueCents) + " (" + TEXT.payUntil + " " + day(invoice.payUntil) + ")"));
      if (invoice.typeableLine) {
        item.appendChild(el("code", "display:block;word-break:break-all;font-size:13px", invoice.typeableLine));
        item.appendChild(copyButton(invoice.typeableLine, TEXT.copyBoleto));
      }
      if (invoice.pixPayload) {
        item.appendChild(copyButton(invoice.pixPayload, TEXT.copyPix));
        var qr = el("img", "display:block;width:160px;height:160px;margin-top:4px");
        qr.alt = TEXT.qrAlt;
        qr.src = base + invoice.links.pixQrSvg;
        item.appendChild(qr);
      }
      var print = el("a", "display:inline-block;margin-top:4px;color:inherit", TEXT.printSecondCopy);
      print.href = base + invoice.links.secondCopyPdf;
      print.target = "_blank";
      print.rel = "noopener";
      item.appendChild(print);
      list.appendChild(item);
    });
    return list;
  }
  function render(standing) {
    if (standing.status === "ok") return;
    var box = el("div", "font:15px/1.4 system-ui,sans-serif;padding:12px 16px;margin:8px 0;border-radius:6px;" +
      (standing.blocked ? "background:#fdecea;border:1px solid #b3261e;color:#5f1410" : "background:#fff8e1;border:1px solid #c79100;color:#4d3800"));
    box.setAttribute("role", standing.blocked ? "alert" : "status");
    box.setAttribute("data-regua-standing", standing.status);
    box.appendChild(el("div", "font-weight:bold", standing.message));
    if (standing.pending.length) box.appendChild(pendingList(standing));
    if (standing.blocked) {
      var selector = script.getAttribute("data-block") || "form";
      Array.prototype.forEach.call(document.querySelectorAll(selector), function (node) { node.style.display = "none"; });
    }
    var anchor = document.getElementById("regua-standing");
    if (anchor) anchor.appendChild(box);
    else document.body.insertBefore(box, document.body.firstChild);
  }
  fetch(base + "/embed/standing?token=" + encodeURIComponent(token), { credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (standing) { if (standing) render(standing); })
    .catch(function () {});
})();
`;
