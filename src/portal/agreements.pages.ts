import { formatBrazilianDate } from "../domain/dates.ts";
import { formatBrl } from "../domain/money.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import type {
  Agreement,
  AgreementPreview,
  AgreementSimulation,
  PlanOption,
} from "../modules/agreements/agreement.ts";
import { errorLine, html, type SafeHtml, trusted } from "./html.ts";

/**
 * Negotiation (the simulated plans, one chosen by the debtor), the review of the chosen one before
 * it is confirmed, and an agreement with its calendar links.
 */

function optionSummary(option: PlanOption): string {
  const installments = option.schedule.filter((item) => item.number > 0);
  const down = option.schedule.find((item) => item.number === 0);
  if (option.terms.installments === 0 && !down) return t.negotiate.atOnce;
  const firstCents = installments[0]?.amountCents ?? 0;
  const lastCents = installments.at(-1)?.amountCents ?? firstCents;
  const parts = [
    t.negotiate.installments(
      installments.length,
      formatBrl(firstCents),
      lastCents === firstCents ? undefined : formatBrl(lastCents),
    ),
  ];
  if (down) parts.unshift(t.negotiate.withDown(formatBrl(down.amountCents)));
  return parts.join(" + ");
}

export function negotiatePage(input: {
  csrf: string;
  simulation: AgreementSimulation;
  error?: string;
}): SafeHtml {
  const { simulation } = input;
  return html`<p>${t.negotiate.debt(formatBrl(simulation.debt.totalCents))}</p>
<p>${t.negotiate.intro}</p>
${errorLine("negociar-erro", input.error)}
<form method="post" action="/portal/negociar">
<input type="hidden" name="csrf" value="${input.csrf}">
<fieldset><legend>${t.negotiate.title}</legend>
${simulation.options.map(
  (option, index) => html`<div class="card">
<input type="radio" id="opcao-${index}" name="option" value="${index}"${index === 0 ? trusted(" checked") : ""}>
<label for="opcao-${index}">${optionSummary(option)}</label>
<p>${t.negotiate.total(formatBrl(option.totalCents))}${option.concessionCents > 0 ? ` · ${t.negotiate.discount(formatBrl(option.concessionCents))}` : ""}</p>
<p>${(option.schedule.length === 1 ? t.negotiate.singleDue : t.negotiate.firstDue)(formatBrazilianDate(option.schedule[0]?.dueDate ?? simulation.debt.asOf))}</p>
</div>`,
)}
</fieldset>
<p>${t.negotiate.terms}</p>
<button type="submit">${t.negotiate.review}</button>
</form>`;
}

/**
 * The chosen option exactly as the proposal would make it (`previewAgreement`): each payment with
 * its date and amount, the total, what is conceded. Confirming repeats the option and the total
 * seen, so a plan that changed in between is shown again instead of being made.
 */
export function reviewPage(input: {
  csrf: string;
  option: number;
  preview: AgreementPreview;
  changed?: boolean;
  /** where confirming posts and "back" leads (a campaign's offer has its own page) */
  action?: string;
  backHref?: string;
}): SafeHtml {
  const { preview } = input;
  const { concessions } = preview;
  const conceded = [
    concessions.fineCents > 0 ? t.negotiate.waivedFine(formatBrl(concessions.fineCents)) : null,
    concessions.interestCents > 0 ? t.negotiate.waivedInterest(formatBrl(concessions.interestCents)) : null,
    concessions.discountCents > 0
      ? t.negotiate.principalDiscount(formatBrl(concessions.discountCents))
      : null,
  ].filter((line): line is string => line !== null);
  return html`${input.changed ? html`<p class="alert" role="alert">${t.negotiate.changed}</p>` : html`<p>${t.negotiate.reviewIntro}</p>`}
<p>${t.negotiate.reviewDebt(formatBrl(preview.debt.totalCents), formatBrazilianDate(preview.debt.asOf))}</p>
<section class="card" aria-labelledby="pagamentos"><h2 id="pagamentos">${t.negotiate.scheduleCaption}</h2>
<dl class="breakdown">${preview.schedule.map(
    (payment) =>
      html`<dt>${preview.schedule.length === 1 ? t.negotiate.atOnce : t.agreement.installment(payment.number)} · ${t.agreement.due(formatBrazilianDate(payment.dueDate))}</dt><dd>${formatBrl(payment.amountCents)}</dd>`,
  )}
<dt class="total">${t.invoice.total}</dt><dd class="total">${formatBrl(preview.totalCents)}</dd></dl>
</section>
${
  conceded.length > 0 || preview.planInterestCents > 0
    ? html`<ul>${conceded.map((line) => html`<li>${line}</li>`)}${
        preview.planInterestCents > 0
          ? html`<li>${t.negotiate.planInterest(formatBrl(preview.planInterestCents))}</li>`
          : ""
      }</ul>${preview.concessionCents > 0 ? html`<p><strong>${t.negotiate.concessionTotal(formatBrl(preview.concessionCents))}</strong></p>` : ""}`
    : ""
}
<p>${t.negotiate.terms}</p>
<form method="post" action="${input.action ?? "/portal/negociar/confirmar"}">
<input type="hidden" name="csrf" value="${input.csrf}"><input type="hidden" name="option" value="${input.option}">
<input type="hidden" name="total" value="${preview.totalCents}">
<button type="submit">${t.negotiate.confirm}</button>
<a class="button secondary" href="${input.backHref ?? "/portal/negociar"}">${t.negotiate.back}</a>
</form>`;
}

export function agreementPage(input: {
  agreement: Agreement;
  created: boolean;
  calendar: Map<number, { google: string; outlook: string }>;
}): SafeHtml {
  const { agreement } = input;
  return html`${input.created ? html`<p class="notice" role="status">${t.agreement.created}</p>` : ""}
<p>${t.agreement.status[agreement.status] ?? agreement.status} · ${t.agreement.total(formatBrl(agreement.totalCents))}</p>
<ol class="plain">${agreement.installments.map((installment) => {
    const links = input.calendar.get(installment.number);
    return html`<li class="card"><h2>${t.agreement.installment(installment.number)}: ${formatBrl(installment.amountCents)}</h2>
<p>${t.agreement.due(formatBrazilianDate(installment.dueDate))} · ${t.agreement.installmentStatus[installment.status] ?? installment.status}</p>
${
  installment.status === "open"
    ? html`<a class="button" href="/portal/faturas/${installment.invoiceId}" aria-label="${t.agreement.pay} ${t.agreement.installment(installment.number)}">${t.agreement.pay}</a>
${
  links
    ? html`<a class="button secondary" href="${links.google}" target="_blank" rel="noopener noreferrer">${t.agreement.google}</a>
<a class="button secondary" href="${links.outlook}" target="_blank" rel="noopener noreferrer">${t.agreement.outlook}</a>`
    : ""
}`
    : ""
}</li>`;
  })}</ol>
<p><a class="button secondary" href="/portal/acordos/${agreement.id}/agenda.ics" download>${t.agreement.ics}</a></p>`;
}
