import type { FastifyInstance } from "fastify";
import type { Api } from "../http/api.ts";
import { registerAgreementPages } from "./agreements.routes.ts";
import { registerContactPages } from "./contacts.routes.ts";
import { registerEntryPages } from "./entry.routes.ts";
import { PORTAL_CSS, PORTAL_JS } from "./html.ts";
import { registerInvoicePages } from "./invoices.routes.ts";
import { registerOfferPages } from "./offers.routes.ts";
import { pageKit } from "./page-kit.ts";
import { registerPixAutomaticoPages } from "./pix-automatico.routes.ts";
import { registerPlanPages } from "./plan.routes.ts";

/**
 * The customer portal's pages (server-rendered, pt-BR), one file per use case: entry through a
 * signed link and the identity check (`entry.routes.ts`), the open invoices with the amount of the
 * day and the second copy (`invoices.routes.ts`), contacts re-verified by a code and channel
 * preferences (`contacts.routes.ts`), negotiation and agreements (`agreements.routes.ts`), plan and
 * payment method requests (`plan.routes.ts`), Pix Automático
 * (`pix-automatico.routes.ts`). What the pages share — session, CSRF, errors as pages, the layout — is `page-kit.ts`.
 */
export function registerPortalPages(api: Api): void {
  ensureFormParser(api.app);
  registerStaticFiles(api.app);
  const kit = pageKit(api);
  registerEntryPages(kit);
  registerInvoicePages(kit);
  registerContactPages(kit);
  registerAgreementPages(kit);
  registerOfferPages(kit);
  registerPlanPages(kit);
  registerPixAutomaticoPages(kit);
}

/** The portal's forms post plain HTML forms; the API only takes JSON. */
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

function registerStaticFiles(app: FastifyInstance): void {
  app.get("/portal/static/portal.css", async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(PORTAL_CSS),
  );
  app.get("/portal/static/portal.js", async (_request, reply) =>
    reply
      .type("text/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(PORTAL_JS),
  );
}
