import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { publicUrl } from "../../shared/config.ts";
import { AppError } from "../../shared/errors.ts";
import { escapeHtml } from "../templates/email-html.ts";
import {
  answerWhatsAppHandshake,
  applyDeliveryReports,
  type CallbackProvider,
  callbackSecretsOf,
  checkMetaSignature,
  checkTwilioSignature,
  checkZenviaToken,
  followShortLink,
  optOutByLink,
  parseDeliveryReports,
  recordOpen,
  twilioAuthToken,
  ZENVIA_TOKEN_HEADER,
} from "./message.service.ts";

const ZCallbackQuery = z.object({ tenant: z.string().trim().min(1).max(63).optional() });

const ZProvider = z.object({
  provider: z.enum(["zenvia", "twilio", "whatsapp"], { error: "provedor: use zenvia, twilio ou whatsapp" }),
});

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;max-width:480px;margin:40px auto;padding:0 16px;color:#1f2937;font-size:16px;line-height:1.5;"><h1 style="font-size:20px;">${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * Delivery callbacks from providers (`POST /v1/providers/{provider}/callbacks`) and Régua's short
 * links (`GET /l/{code}` counts the click and redirects; an opt-out link asks to confirm, and a
 * POST to it — the page's button or RFC 8058 one-click from the mail client — opts out at once),
 * and the e-mails' tracking image (`GET /o/{code}` records the first open, docs/messages.md § Opens).
 */
export function registerMessageRoutes(api: Api): void {
  const app = api.app;
  // Twilio's callbacks and RFC 8058 one-click posts are form-encoded
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded")) {
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (request, body, done) => {
        request.rawBody = body as string;
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
  }

  api.route({
    method: "POST",
    url: "/v1/providers/:provider/callbacks",
    summary: "Recebe o status de entrega de um provedor (Zenvia, Twilio, WhatsApp)",
    description:
      "Twilio: status callback (formulário) assinado com X-Twilio-Signature. WhatsApp Cloud API: webhook de statuses em " +
      "?tenant=<slug>, assinado com X-Hub-Signature-256 (HMAC-SHA256 do corpo com o app secret). Zenvia: evento " +
      "MESSAGE_STATUS em ?tenant=<slug> com o cabeçalho X-Regua-Token configurado na assinatura. Sem verificação: 401, " +
      "nada é aplicado. Atualiza a mensagem (entregue ou falhou) e as ações da régua.",
    tag: "Mensagens",
    permission: "public",
    params: ZProvider,
    query: ZCallbackQuery,
    body: z.record(z.string(), z.unknown()),
    response: z.object({ applied: z.number() }),
    handler: async ({ params, query, body, request }) => {
      const provider = params.provider as CallbackProvider;
      const reports = parseDeliveryReports(provider, body);
      if (provider === "twilio") {
        const verify = async (tenantId: string) => {
          const token = await twilioAuthToken(api.db, tenantId);
          const sent = request.headers["x-twilio-signature"];
          if (!token || typeof sent !== "string") {
            throw new AppError("unauthorized", "Callback da Twilio sem assinatura X-Twilio-Signature");
          }
          checkTwilioSignature(token, `${publicUrl()}${request.url}`, body as Record<string, string>, sent);
        };
        return { applied: await applyDeliveryReports(api.db, provider, reports, api.context.clock, verify) };
      }
      // WhatsApp and Zenvia are checked before anything is read: the tenant comes from the URL
      const secrets = query.tenant ? await callbackSecretsOf(api.db, query.tenant) : null;
      if (provider === "whatsapp") {
        checkMetaSignature(
          secrets?.whatsappAppSecret ?? null,
          request.rawBody ?? "",
          request.headers["x-hub-signature-256"],
        );
      } else {
        checkZenviaToken(secrets?.zenviaCallbackToken ?? null, request.headers[ZENVIA_TOKEN_HEADER]);
      }
      return {
        applied: await applyDeliveryReports(
          api.db,
          provider,
          reports,
          api.context.clock,
          undefined,
          secrets!.tenantId,
        ),
      };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/providers/whatsapp/callbacks",
    summary: "Verificação da assinatura de webhook do WhatsApp (hub.challenge)",
    description:
      "A Meta chama com hub.mode=subscribe, hub.verify_token e hub.challenge ao cadastrar a URL " +
      "(com ?tenant=<slug>); se o token confere com o das configurações do credor, devolve hub.challenge.",
    tag: "Mensagens",
    permission: "public",
    query: ZCallbackQuery.extend({
      "hub.mode": z.string().max(50).optional(),
      "hub.verify_token": z.string().max(500).optional(),
      "hub.challenge": z.string().max(500).optional(),
    }),
    produces: "text/plain",
    handler: async ({ query, reply }) => {
      const secrets = query.tenant ? await callbackSecretsOf(api.db, query.tenant) : null;
      const challenge = answerWhatsAppHandshake(secrets, query);
      return reply.type("text/plain; charset=utf-8").send(challenge);
    },
  });

  app.get<{ Params: { code: string } }>("/l/:code", async (request, reply) => {
    // a code is base64url: anything else (%00, a stray surrogate) is simply not a link
    const link = isLinkCode(request.params.code)
      ? await followShortLink(api.db, request.params.code, api.context.clock)
      : null;
    if (!link) {
      return reply
        .status(404)
        .type("text/html; charset=utf-8")
        .send(page("Link não encontrado", "<p>Este link não existe ou expirou.</p>"));
    }
    if (link.kind === "optout") {
      // a GET never opts out: mail scanners follow links (RFC 8058 §1)
      return reply
        .type("text/html; charset=utf-8")
        .send(
          page(
            "Deixar de receber mensagens",
            `<p>Confirme que não quer mais receber mensagens de cobrança por este canal.</p><form method="post" action="/l/${escapeHtml(link.code)}"><button type="submit" style="font-size:16px;padding:12px 20px;">Confirmar descadastro</button></form>`,
          ),
        );
    }
    return reply.redirect(link.url, 302);
  });

  app.get<{ Params: { code: string } }>("/o/:code", async (request, reply) => {
    if (isLinkCode(request.params.code)) await recordOpen(api.db, request.params.code, api.context.clock);
    // the same image whatever the code: a mail client shows nothing broken, and a prober learns nothing
    return reply.type("image/gif").header("cache-control", "no-store, private").send(TRANSPARENT_GIF);
  });

  app.post<{ Params: { code: string } }>("/l/:code", async (request, reply) => {
    const done =
      isLinkCode(request.params.code) && (await optOutByLink(api.db, request.params.code, api.context.clock));
    if (!done)
      return reply
        .status(404)
        .type("text/html; charset=utf-8")
        .send(page("Link não encontrado", "<p>Este link não existe.</p>"));
    return reply
      .type("text/html; charset=utf-8")
      .send(
        page(
          "Descadastro feito",
          "<p>Pronto: você não receberá mais mensagens de cobrança por este canal.</p>",
        ),
      );
  });
}

/** A 1×1 transparent GIF (42 bytes), the e-mail's tracking image. */
const TRANSPARENT_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/**
 * Short-link codes are base64url (see the dispatcher), after the tenant's route and a dot when
 * issued since routing (src/modules/tenants/token-route.ts); other text never names a link.
 */
function isLinkCode(code: string): boolean {
  return /^(?:[0-9a-z]{1,12}\.)?[A-Za-z0-9_-]{1,64}$/.test(code);
}
