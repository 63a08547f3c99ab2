import { formatBrazilianDate, todayIn } from "../domain/dates.ts";
import { formatBrl } from "../domain/money.ts";
import { paymentMethodLabels } from "../i18n/pt-BR/payment-methods.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import type { CheckedPlanChange, PlanAndPayment } from "../modules/plan-changes/plan-change.service.ts";
import { errorLine, html, type SafeHtml } from "./html.ts";

/** "Meu plano e pagamento": each contract's plan and payment method, the forms to ask for another, the review of an ask. */

const methodLabel = (method: string) => paymentMethodLabels[method] ?? method;

export function planPage(input: {
  csrf: string;
  options: PlanAndPayment;
  timeZone: string;
  notice?: string | undefined;
  error?: { contractId: string; kind: string; message: string } | undefined;
}): SafeHtml {
  const { options, csrf } = input;
  if (options.contracts.length === 0) return html`<p>${t.plan.none}</p>`;
  const choices = (
    contractId: string,
    kind: "plan" | "payment_method",
    items: { value: string; label: string }[],
  ) => {
    const id = `${kind === "plan" ? "plano" : "pagamento"}-${contractId}`;
    const message =
      input.error?.contractId === contractId && input.error.kind === kind ? input.error.message : undefined;
    return html`<form method="post" action="/portal/plano">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="contractId" value="${contractId}"><input type="hidden" name="kind" value="${kind}">
<fieldset class="choices"${message ? html` aria-describedby="${id}-erro"` : ""}><legend>${kind === "plan" ? t.plan.changePlan : t.plan.changeMethod}</legend>
${items.map(
  (item, index) =>
    html`<div><input type="radio" id="${id}-${index}" name="value" value="${item.value}"> <label for="${id}-${index}" class="inline">${item.label}</label></div>`,
)}
</fieldset>
${errorLine(`${id}-erro`, message)}
<button type="submit">${t.plan.review}</button>
</form>`;
  };
  return html`<p>${t.plan.intro}</p>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ""}
${options.contracts.map((contract) => {
  const plans = options.catalogue.filter((plan) => plan.name !== contract.plan);
  const methods = options.paymentMethods.filter((method) => method !== contract.paymentMethod);
  const requests = options.requests.filter((request) => request.contractId === contract.id);
  return html`<section class="card" aria-labelledby="contrato-${contract.id}"><h2 id="contrato-${contract.id}">${t.plan.contract(contract.externalId)}</h2>
<dl class="breakdown"><dt>${t.plan.plan}</dt><dd>${contract.plan}</dd><dt>${t.plan.method}</dt><dd>${methodLabel(contract.paymentMethod)}</dd></dl>
${
  requests.length > 0
    ? html`<h3>${t.plan.requests}</h3><ul>${requests.map(
        (request) =>
          html`<li>${t.plan.request(
            request.kind,
            request.kind === "plan" ? request.requestedValue : methodLabel(request.requestedValue),
            formatBrazilianDate(todayIn(input.timeZone, request.requestedAt)),
          )}: ${t.plan.statuses[request.status] ?? request.status}</li>`,
      )}</ul>`
    : ""
}
${
  plans.length > 0
    ? choices(
        contract.id,
        "plan",
        plans.map((plan) => ({
          value: plan.name,
          label: t.plan.planOption(plan.name, formatBrl(plan.monthlyPriceCents)),
        })),
      )
    : html`<p>${t.plan.noPlans}</p>`
}
${choices(
  contract.id,
  "payment_method",
  methods.map((method) => ({ value: method, label: methodLabel(method) })),
)}
</section>`;
})}`;
}

/** What the request will ask, before it is sent; sending repeats the contract, kind and choice. */
export function planReviewPage(input: { csrf: string; change: CheckedPlanChange }): SafeHtml {
  const { change } = input;
  const summary =
    change.kind === "plan"
      ? t.plan.reviewPlan(
          change.contract.externalId,
          change.current,
          change.requested,
          formatBrl(change.monthlyPriceCents ?? 0),
        )
      : t.plan.reviewMethod(
          change.contract.externalId,
          methodLabel(change.current),
          methodLabel(change.requested),
        );
  return html`<p>${summary}</p>
<p>${t.plan.reviewAfter}</p>
<form method="post" action="/portal/plano/confirmar">
<input type="hidden" name="csrf" value="${input.csrf}"><input type="hidden" name="contractId" value="${change.contract.id}">
<input type="hidden" name="kind" value="${change.kind}"><input type="hidden" name="value" value="${change.requested}">
<button type="submit">${t.plan.send}</button>
<a class="button secondary" href="/portal/plano">${t.plan.back}</a>
</form>`;
}
