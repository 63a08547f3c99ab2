import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { addDays } from "../domain/dates.ts";
import { formatDocument } from "../domain/documents.ts";
import { pixQrSvg } from "../domain/pix.ts";
import type { Api } from "../http/api.ts";
import { tenantOf } from "../http/tenant-context.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  getAgreement,
  listAgreements,
  proposeAgreement,
  simulateAgreement,
} from "../modules/agreements/agreement.service.ts";
import type { Agreement } from "../modules/agreements/agreement.ts";
import { agreementCalendar, installmentCalendarLinks } from "../modules/agreements/calendar.ts";
import { getCustomer } from "../modules/customers/customer.service.ts";
import { getSecondCopy } from "../modules/invoices/second-copy.service.ts";
import { secondCopyFileName, secondCopyPdf } from "../modules/invoices/second-copy-pdf.ts";
import {
  checkPortalLink,
  confirmContactChange,
  confirmIdentity,
  endPortalSession,
  identityQuestion,
  portalContacts,
  portalLinkSigner,
  portalOverview,
  requestContactChange,
  resolvePortalSession,
  setChannelPreference,
} from "../modules/portal/portal.service.ts";
import type { PortalSession } from "../modules/portal/portal.ts";
import type { Tenant } from "../modules/tenants/tenant.ts";
import { AppError } from "../shared/errors.ts";
import { type LayoutOptions, layout, PORTAL_CSS, PORTAL_JS, type SafeHtml } from "./html.ts";
import {
  agreementPage,
  contactsPage,
  homePage,
  identityPage,
  maskContact,
  messagePage,
  negotiatePage,
  preferencesPage,
  secondCopyPage,
} from "./pages.ts";
import {
  clearSessionCookie,
  entryToken,
  entryTokenMatches,
  personalPageHeaders,
  readSessionCookie,
  sameToken,
  setSessionCookie,
} from "./session.ts";

type Form = Record<string, string | undefined>;

/** Ids in the portal's URLs and forms are UUIDs; anything else is not found rather than a SQL error. */
const isUuid = (value: string) => /^[0-9a-f-]{36}$/i.test(value);

interface SignedIn {
  session: PortalSession;
  tenant: Tenant;
  today: string;
}

function creditorOf(tenant: Tenant): { name: string; document: string } {
  return { name: tenant.legalName, document: formatDocument(tenant.document) };
}

function send(reply: FastifyReply, status: number, options: LayoutOptions): FastifyReply {
  return personalPageHeaders(reply).status(status).type("text/html; charset=utf-8").send(layout(options));
}

function ensureFormParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser("application/x-www-form-urlencoded")) return;
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (request, body, done) => {
      request.rawBody = body as string;
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
}

/**
 * The customer portal's pages (server-rendered, pt-BR): entry through a signed link and the
 * identity check, then the open invoices with the amount of the day, the second copy (Pix, boleto,
 * PDF), contacts re-verified by a code, channel preferences, negotiation and agreements.
 */
export function registerPortalPages(api: Api): void {
  const app = api.app;
  ensureFormParser(app);
  const now = () => api.context.clock.now();

  app.get("/portal/static/portal.css", async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(PORTAL_CSS),
  );
  app.get("/portal/static/portal.js", async (_request, reply) =>
    reply
      .type("text/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(PORTAL_JS),
  );

  /** A handler's AppError as a page: not found → 404, the rest with its message. */
  const guarded =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const notFound = error.code === "not_found";
        return send(reply, notFound ? 404 : error.code === "rate_limited" ? 429 : 400, {
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
      send(reply, 401, {
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
    send(reply, 403, {
      title: t.errors.failedTitle,
      creditor: creditorOf(context.tenant),
      csrfToken: context.session.csrfToken,
      body: messagePage(t.identity.formExpired, { href: "/portal", label: t.errors.back }),
    });
    return true;
  }

  interface SignedInRequest {
    request: FastifyRequest;
    reply: FastifyReply;
    context: SignedIn;
  }

  /** A page behind the portal session: without one the debtor sees "session ended" (401). */
  const signedInPage = (handler: (signed: SignedInRequest) => Promise<FastifyReply>) =>
    guarded(async (request, reply) => {
      const context = await signedIn(request, reply);
      return context ? handler({ request, reply, context }) : reply;
    });

  /** A form POST behind the session, refused (403) unless it repeats the session's CSRF token. */
  const signedInForm = (handler: (signed: SignedInRequest & { form: Form }) => Promise<FastifyReply>) =>
    signedInPage(async (signed) => {
      const form = (signed.request.body ?? {}) as Form;
      return forged(signed.context, form, signed.reply) ? signed.reply : handler({ ...signed, form });
    });

  async function linkProblem(reply: FastifyReply, link: Awaited<ReturnType<typeof checkPortalLink>>) {
    if (link.status === "expired") {
      const { tenant } = await tenantOf(api, link.tenantId);
      return send(reply, 410, {
        title: t.link.expiredTitle,
        creditor: creditorOf(tenant),
        body: messagePage(t.link.expiredBody(tenant.legalName)),
      });
    }
    return send(reply, 400, {
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
    return send(reply, status, {
      title: t.identity.title,
      creditor: creditorOf(tenant),
      body: identityPage({
        creditor: tenant.legalName,
        token,
        entryToken: entryToken(request, reply),
        ...question,
        ...(error ? { error } : {}),
      }),
    });
  }

  app.get<{ Querystring: { t?: string } }>(
    "/portal/entrar",
    guarded(async (request, reply) => {
      const token = typeof (request.query as Form).t === "string" ? (request.query as Form).t! : "";
      const link = await checkPortalLink(api.db, token, now());
      if (link.status !== "valid") return linkProblem(reply, link);
      return identityForm(request, reply, token, link, 200);
    }),
  );

  app.post(
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
            : "/portal";
      return personalPageHeaders(reply).redirect(target, 303);
    }),
  );

  app.post(
    "/portal/sair",
    signedInForm(async ({ request, reply, context }) => {
      await endPortalSession(api.db, readSessionCookie(request));
      clearSessionCookie(reply);
      return send(reply, 200, {
        title: t.nav.signOut,
        creditor: creditorOf(context.tenant),
        body: messagePage(t.link.sessionEndedBody),
      });
    }),
  );

  /** A signed-in page: the creditor in the header, the session's CSRF token in its forms. */
  const sendPage = (
    reply: FastifyReply,
    status: number,
    context: SignedIn,
    page: { title: string; body: SafeHtml; current?: LayoutOptions["current"] },
  ) =>
    send(reply, status, {
      title: page.title,
      creditor: creditorOf(context.tenant),
      csrfToken: context.session.csrfToken,
      ...(page.current ? { current: page.current } : {}),
      body: page.body,
    });

  app.get(
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

  app.get<{ Params: { id: string } }>(
    "/portal/faturas/:id",
    signedInPage(async ({ request, reply, context }) => {
      const copy = await secondCopyOf(context, (request.params as { id: string }).id);
      const qr = copy.pixPayload ? await pixQrSvg(copy.pixPayload) : null;
      const title = t.invoice.title(copy.invoice.description || copy.invoice.externalId);
      return sendPage(reply, 200, context, { title, body: secondCopyPage(copy, qr) });
    }),
  );

  app.get<{ Params: { id: string } }>(
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

  async function secondCopyOf(context: SignedIn, invoiceId: string) {
    if (!isUuid(invoiceId)) throw new AppError("not_found", "Fatura não encontrada");
    return getSecondCopy(api.db, context.tenant, invoiceId, {
      date: context.today,
      today: context.today,
      customerId: context.session.customerId,
    });
  }

  /** The contacts page as it stands after the request, with what the request has to say. */
  async function sendContacts(
    reply: FastifyReply,
    status: number,
    context: SignedIn,
    outcome: Omit<Parameters<typeof contactsPage>[0], "csrf" | "contacts"> = {},
  ) {
    const contacts = await portalContacts(api.db, context.tenant.id, context.session.customerId);
    return sendPage(reply, status, context, {
      title: t.contacts.title,
      body: contactsPage({ csrf: context.session.csrfToken, contacts, ...outcome }),
      current: "contacts",
    });
  }

  /** The channel preferences as they stand after the request, with its notice if any. */
  async function sendPreferences(reply: FastifyReply, context: SignedIn, notice?: string) {
    const contacts = await portalContacts(api.db, context.tenant.id, context.session.customerId);
    return sendPage(reply, 200, context, {
      title: t.preferences.title,
      body: preferencesPage({ csrf: context.session.csrfToken, contacts, notice }),
      current: "preferences",
    });
  }

  app.get(
    "/portal/contato",
    signedInPage(({ reply, context }) => sendContacts(reply, 200, context)),
  );

  app.post(
    "/portal/contato",
    signedInForm(async ({ reply, context, form }) => {
      const channel = form.channel === "sms" ? "sms" : "email";
      let status = 200;
      let pending: { codeId: string; channel: string; value: string } | undefined;
      let error: { field: "email" | "sms"; message: string } | undefined;
      try {
        pending = await requestContactChange(
          api.db,
          context.tenant,
          context.session.customerId,
          { channel, value: form.value ?? "" },
          now(),
        );
      } catch (caught) {
        if (!(caught instanceof AppError)) throw caught;
        status = caught.code === "rate_limited" ? 429 : 400;
        error = { field: channel, message: caught.message.replace(/^value: /, "") };
      }
      return sendContacts(reply, status, context, { pending, error });
    }),
  );

  app.post(
    "/portal/contato/confirmar",
    signedInForm(async ({ reply, context, form }) => {
      let status = 200;
      let notice: string | undefined;
      let error: { field: "code"; message: string } | undefined;
      let pending: { codeId: string; channel: string; value: string } | undefined;
      try {
        const saved = await confirmContactChange(
          api.db,
          context.tenant.id,
          context.session.customerId,
          { codeId: form.codeId, code: form.code ?? "" },
          now(),
        );
        notice = t.contacts.saved(maskContact(saved.channel, saved.value));
      } catch (caught) {
        if (!(caught instanceof AppError)) throw caught;
        status = 400;
        error = { field: "code", message: caught.message.replace(/^code: /, "") };
        const row = await api.db
          .selectFrom("portal_contact_codes")
          .select(["id", "channel", "value"])
          .where("tenant_id", "=", context.tenant.id)
          .where("customer_id", "=", context.session.customerId)
          .where("id", "=", isUuid(form.codeId ?? "") ? form.codeId! : "00000000-0000-0000-0000-000000000000")
          .executeTakeFirst();
        if (row) pending = { codeId: row.id, channel: row.channel, value: row.value };
      }
      return sendContacts(reply, status, context, { notice, error, pending });
    }),
  );

  app.get(
    "/portal/preferencias",
    signedInPage(({ reply, context }) => sendPreferences(reply, context)),
  );

  app.post(
    "/portal/preferencias",
    signedInForm(async ({ reply, context, form }) => {
      const channel = form.channel;
      if (channel !== "email" && channel !== "sms" && channel !== "whatsapp") {
        throw new AppError("validation_failed", "Canal desconhecido", "channel");
      }
      const receive = form.receive === "yes";
      await setChannelPreference(
        api.db,
        context.tenant.id,
        context.session.customerId,
        channel,
        receive,
        api.context.clock,
      );
      const label = t.contacts.channel[channel]!;
      return sendPreferences(
        reply,
        context,
        receive ? t.preferences.savedIn(label) : t.preferences.savedOut(label),
      );
    }),
  );

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

  app.get(
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

  app.post(
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

  app.get<{ Params: { id: string } }>(
    "/portal/acordos/:id",
    signedInPage(async ({ request, reply, context }) => {
      const agreement = await ownAgreement(context, (request.params as { id: string }).id);
      const paymentUrl = await paymentUrls(context);
      const creditor = creditorOf(context.tenant);
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

  app.get<{ Params: { id: string } }>(
    "/portal/acordos/:id/agenda.ics",
    signedInPage(async ({ request, reply, context }) => {
      const agreement = await ownAgreement(context, (request.params as { id: string }).id);
      const paymentUrl = await paymentUrls(context);
      const ics = agreementCalendar(agreement, creditorOf(context.tenant), { paymentUrl });
      return personalPageHeaders(reply)
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", 'attachment; filename="acordo.ics"')
        .send(ics);
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
