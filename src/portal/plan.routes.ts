import type { FastifyReply } from "fastify";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  checkPlanChange,
  planAndPayment,
  requestPlanChange,
} from "../modules/plan-changes/plan-change.service.ts";
import { AppError } from "../shared/errors.ts";
import { type Form, isUuid, type PageKit, type SignedIn } from "./page-kit.ts";
import { planPage, planReviewPage } from "./plan.pages.ts";

/**
 * "Meu plano e pagamento": the contracts' plans and payment methods; the debtor asks for another
 * plan of the creditor's catalogue or another payment method, reviews the ask, and sends it — a
 * request the creditor confirms or declines through the API (src/modules/plan-changes).
 */
export function registerPlanPages({ api, signedInPage, signedInForm, sendPage }: PageKit): void {
  async function sendPlan(
    reply: FastifyReply,
    status: number,
    context: SignedIn,
    outcome: { notice?: string; error?: { contractId: string; kind: string; message: string } } = {},
  ) {
    const options = await planAndPayment(api.db, context.tenant.id, context.session.customerId);
    return sendPage(reply, status, context, {
      title: t.plan.title,
      body: planPage({
        csrf: context.session.csrfToken,
        options,
        timeZone: context.tenant.timeZone,
        ...outcome,
      }),
      current: "plan",
    });
  }

  /** The form's ask; the contract is checked against the session's customer by the service. */
  function askOf(form: Form) {
    const contractId = form.contractId ?? "";
    if (!isUuid(contractId)) throw new AppError("not_found", "Contrato não encontrado");
    const kind = form.kind === "plan" ? ("plan" as const) : ("payment_method" as const);
    return { contractId, kind, value: form.value ?? "" };
  }

  /** A refused ask shows the page again with the reason beside the form it came from. */
  async function refused(
    reply: FastifyReply,
    context: SignedIn,
    ask: ReturnType<typeof askOf>,
    error: unknown,
  ) {
    if (!(error instanceof AppError) || error.code === "not_found") throw error;
    const message = ask.value === "" ? t.plan.chooseError : error.message.replace(/^\w+: /, "");
    return sendPlan(reply, error.code === "conflict" ? 409 : 400, context, {
      error: { contractId: ask.contractId, kind: ask.kind, message },
    });
  }

  api.app.get(
    "/portal/plano",
    signedInPage(({ reply, context }) => sendPlan(reply, 200, context)),
  );

  api.app.post(
    "/portal/plano",
    signedInForm(async ({ reply, context, form }) => {
      const ask = askOf(form);
      try {
        const change = await checkPlanChange(api.db, context.tenant.id, context.session.customerId, ask);
        return sendPage(reply, 200, context, {
          title: t.plan.reviewTitle,
          body: planReviewPage({ csrf: context.session.csrfToken, change }),
          current: "plan",
        });
      } catch (error) {
        return refused(reply, context, ask, error);
      }
    }),
  );

  api.app.post(
    "/portal/plano/confirmar",
    signedInForm(async ({ reply, context, form }) => {
      const ask = askOf(form);
      try {
        await requestPlanChange(
          api.db,
          context.tenant.id,
          context.session.customerId,
          ask,
          api.context.clock,
        );
      } catch (error) {
        return refused(reply, context, ask, error);
      }
      return sendPlan(reply, 200, context, { notice: t.plan.sent });
    }),
  );
}
