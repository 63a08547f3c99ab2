import type { FastifyReply, FastifyRequest } from "fastify";
import { formatDocument } from "../domain/documents.ts";
import type { Api } from "../http/api.ts";
import { tenantOf } from "../http/tenant-context.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import { resolvePortalSession } from "../modules/portal/portal.service.ts";
import type { PortalSession } from "../modules/portal/portal.ts";
import { creditorOf, type Tenant } from "../modules/tenants/tenant.ts";
import { AppError } from "../shared/errors.ts";
import { type LayoutOptions, layout, messagePage, type SafeHtml } from "./html.ts";
import { clearSessionCookie, personalPageHeaders, readSessionCookie, sameToken } from "./session.ts";

/**
 * What every portal page shares: the session behind a page, the CSRF check of its forms, an
 * AppError shown as a page, and the layout with the creditor in the header. Each use case's
 * `<use case>.routes.ts` receives one `PageKit` and registers its routes with it.
 */

export type Form = Record<string, string | undefined>;

export interface SignedIn {
  session: PortalSession;
  tenant: Tenant;
  today: string;
}

export interface SignedInRequest {
  request: FastifyRequest;
  reply: FastifyReply;
  context: SignedIn;
}

type PageHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

export interface PageKit {
  api: Api;
  now: () => Date;
  /** A handler's AppError as a page: not found → 404, too many attempts → 429, the rest 400 with its message. */
  guarded: (handler: PageHandler) => PageHandler;
  /** A page behind the portal session: without one the debtor sees "session ended" (401). */
  signedInPage: (handler: (signed: SignedInRequest) => Promise<FastifyReply>) => PageHandler;
  /** A form POST behind the session, refused (403) unless it repeats the session's CSRF token. */
  signedInForm: (handler: (signed: SignedInRequest & { form: Form }) => Promise<FastifyReply>) => PageHandler;
  /** A signed-in page: the creditor in the header, the session's CSRF token in its forms. */
  sendPage: (
    reply: FastifyReply,
    status: number,
    context: SignedIn,
    page: { title: string; body: SafeHtml; current?: LayoutOptions["current"] },
  ) => FastifyReply;
}

/** Ids in the portal's URLs and forms are UUIDs; anything else is not found rather than a SQL error. */
export const isUuid = (value: string) => /^[0-9a-f-]{36}$/i.test(value);

/** The creditor in the header, footer and calendar entries, with the CPF/CNPJ formatted. */
export function portalCreditor(tenant: Tenant): { name: string; document: string } {
  const { name } = creditorOf(tenant);
  return { name, document: formatDocument(tenant.document) };
}

/** Any portal page as HTML, with the headers that keep personal data out of caches and frames. */
export function sendLayout(reply: FastifyReply, status: number, options: LayoutOptions): FastifyReply {
  return personalPageHeaders(reply).status(status).type("text/html; charset=utf-8").send(layout(options));
}

export function pageKit(api: Api): PageKit {
  const now = () => api.context.clock.now();

  const guarded =
    (handler: PageHandler): PageHandler =>
    async (request, reply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const notFound = error.code === "not_found";
        return sendLayout(reply, notFound ? 404 : error.code === "rate_limited" ? 429 : 400, {
          title: notFound ? t.errors.notFoundTitle : t.errors.failedTitle,
          creditor: null,
          body: messagePage(notFound ? t.errors.notFoundBody : error.message, {
            href: "/portal",
            label: t.errors.back,
          }),
        });
      }
    };

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<SignedIn | null> {
    const session = await resolvePortalSession(api.db, readSessionCookie(request), now());
    if (!session) {
      clearSessionCookie(reply);
      sendLayout(reply, 401, {
        title: t.link.sessionEndedTitle,
        creditor: null,
        body: messagePage(t.link.sessionEndedBody),
      });
      return null;
    }
    const { tenant, today } = await tenantOf(api, session.tenantId);
    return { session, tenant, today };
  }

  /** Every POST of a signed-in page repeats the session's CSRF token in the form. */
  function forged(context: SignedIn, form: Form, reply: FastifyReply): boolean {
    if (sameToken(context.session.csrfToken, form.csrf)) return false;
    sendLayout(reply, 403, {
      title: t.errors.failedTitle,
      creditor: portalCreditor(context.tenant),
      csrfToken: context.session.csrfToken,
      body: messagePage(t.identity.formExpired, { href: "/portal", label: t.errors.back }),
    });
    return true;
  }

  const signedInPage: PageKit["signedInPage"] = (handler) =>
    guarded(async (request, reply) => {
      const context = await signedIn(request, reply);
      return context ? handler({ request, reply, context }) : reply;
    });

  const signedInForm: PageKit["signedInForm"] = (handler) =>
    signedInPage(async (signed) => {
      const form = (signed.request.body ?? {}) as Form;
      return forged(signed.context, form, signed.reply) ? signed.reply : handler({ ...signed, form });
    });

  const sendPage: PageKit["sendPage"] = (reply, status, context, page) =>
    sendLayout(reply, status, {
      title: page.title,
      creditor: portalCreditor(context.tenant),
      csrfToken: context.session.csrfToken,
      ...(page.current ? { current: page.current } : {}),
      body: page.body,
    });

  return { api, now, guarded, signedInPage, signedInForm, sendPage };
}
