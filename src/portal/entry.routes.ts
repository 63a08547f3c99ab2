import type { FastifyReply, FastifyRequest } from "fastify";
import { tenantOf } from "../http/tenant-context.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  checkPortalLink,
  confirmIdentity,
  endPortalSession,
  identityQuestion,
} from "../modules/portal/portal.service.ts";
import { identityPage } from "./entry.pages.ts";
import { messagePage } from "./html.ts";
import { type Form, type PageKit, portalCreditor, sendLayout } from "./page-kit.ts";
import {
  clearSessionCookie,
  entryToken,
  entryTokenMatches,
  personalPageHeaders,
  readSessionCookie,
  setSessionCookie,
} from "./session.ts";

/**
 * Entry and exit: a signed link opens the identity check (the first characters of the CPF/CNPJ,
 * with attempts limited), which starts the session and leads to what the link was for; signing
 * out ends it.
 */
export function registerEntryPages({ api, now, guarded, signedInForm }: PageKit): void {
  async function linkProblem(reply: FastifyReply, link: Awaited<ReturnType<typeof checkPortalLink>>) {
    if (link.status === "expired") {
      const { tenant } = await tenantOf(api, link.tenantId);
      return sendLayout(reply, 410, {
        title: t.link.expiredTitle,
        creditor: portalCreditor(tenant),
        body: messagePage(t.link.expiredBody(tenant.legalName)),
      });
    }
    return sendLayout(reply, 400, {
      title: t.link.invalidTitle,
      creditor: null,
      body: messagePage(t.link.invalidBody),
    });
  }

  async function identityForm(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    link: { tenantId: string; customerId: string },
    status: number,
    error?: string,
  ) {
    const { tenant } = await tenantOf(api, link.tenantId);
    const question = await identityQuestion(api.db, link.tenantId, link.customerId);
    return sendLayout(reply, status, {
      title: t.identity.title,
      creditor: portalCreditor(tenant),
      body: identityPage({
        creditor: tenant.legalName,
        token,
        entryToken: entryToken(request, reply),
        ...question,
        ...(error ? { error } : {}),
      }),
    });
  }

  api.app.get<{ Querystring: { t?: string } }>(
    "/portal/entrar",
    guarded(async (request, reply) => {
      const token = typeof (request.query as Form).t === "string" ? (request.query as Form).t! : "";
      const link = await checkPortalLink(api.db, token, now());
      if (link.status !== "valid") return linkProblem(reply, link);
      return identityForm(request, reply, token, link, 200);
    }),
  );

  api.app.post(
    "/portal/entrar",
    guarded(async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      const token = form.t ?? "";
      const link = await checkPortalLink(api.db, token, now());
      if (link.status !== "valid") return linkProblem(reply, link);
      if (!entryTokenMatches(request, form.csrf)) {
        return identityForm(request, reply, token, link, 403, t.identity.formExpired);
      }
      const outcome = await confirmIdentity(
        api.db,
        { token, answer: form.resposta ?? "", ip: request.ip },
        now(),
      );
      if (!outcome.ok) {
        if (outcome.reason === "link") return linkProblem(reply, outcome.link);
        if (outcome.reason === "locked") {
          const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - now().getTime()) / 60_000));
          return identityForm(request, reply, token, link, 429, t.identity.locked(minutes));
        }
        return identityForm(request, reply, token, link, 400, t.identity.wrong(outcome.remaining));
      }
      setSessionCookie(reply, outcome.session.token);
      const target =
        outcome.purpose.kind === "invoice"
          ? `/portal/faturas/${outcome.purpose.invoiceId}`
          : outcome.purpose.kind === "preferences"
            ? "/portal/preferencias"
            : outcome.purpose.kind === "offer"
              ? `/portal/ofertas/${outcome.purpose.campaignId}`
              : "/portal";
      return personalPageHeaders(reply).redirect(target, 303);
    }),
  );

  api.app.post(
    "/portal/sair",
    signedInForm(async ({ request, reply, context }) => {
      await endPortalSession(api.db, readSessionCookie(request));
      clearSessionCookie(reply);
      return sendLayout(reply, 200, {
        title: t.nav.signOut,
        creditor: portalCreditor(context.tenant),
        body: messagePage(t.link.sessionEndedBody),
      });
    }),
  );
}
