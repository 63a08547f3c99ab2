import { formatBrazilianDate, todayIn } from "../domain/dates.ts";
import { maskDocument } from "../domain/documents.ts";
import { formatBrl } from "../domain/money.ts";
import { greetingName } from "../domain/names.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import type { PortalInvoice, PortalOverview } from "../modules/portal/portal.service.ts";
import type { SecondCopy } from "../modules/second-copy/second-copy.service.ts";
import { copyField, html, type SafeHtml, trusted } from "./html.ts";

/**
 * The home page (open invoices with the amount of the day, the standing, the agreements) and an
 * invoice's second copy. Personal data is minimised: the document is masked, ids never appear in
 * URLs but the opaque ones of invoices and agreements.
 */

function describe(invoice: { description: string; externalId: string }): string {
  return invoice.description || invoice.externalId;
}

function invoiceCard(invoice: PortalInvoice): SafeHtml {
  return html`<li class="card">
<h2>${describe(invoice)}</h2>
<p>${t.home.columns.dueDate}: ${formatBrazilianDate(invoice.dueDate)} · ${invoice.daysOverdue > 0 ? t.home.overdue(invoice.daysOverdue) : t.home.notDue}</p>
<dl class="breakdown">
<dt>${t.home.columns.original}</dt><dd>${formatBrl(invoice.principalCents)}</dd>
<dt>${t.home.columns.fine}</dt><dd>${formatBrl(invoice.fineCents)}</dd>
<dt>${t.home.columns.interest}</dt><dd>${formatBrl(invoice.interestCents)}</dd>
<dt class="total">${t.home.columns.today}</dt><dd class="total" data-total>${formatBrl(invoice.totalCents)}</dd>
</dl>
<a class="button" href="/portal/faturas/${invoice.id}" aria-label="${t.home.payInvoice(describe(invoice))}">${t.home.pay}</a>
</li>`;
}

export function homePage(input: {
  overview: PortalOverview;
  today: string;
  agreements: { id: string; createdAt: Date; status: string }[];
  /** the tenant's: an agreement made at 22:30 in São Paulo shows that day, not UTC's next one */
  timeZone: string;
}): SafeHtml {
  const { overview, today } = input;
  const standing = overview.standing.status;
  const blocked = standing === "suspended" || standing === "cancelled";
  const overdue = overview.invoices.some((invoice) => invoice.daysOverdue > 0);
  return html`${
    blocked
      ? html`<section class="alert">
<p>${standing === "cancelled" ? t.suspended.cancelledBody : t.suspended.body}</p></section>`
      : ""
  }
<p>${t.home.greeting(greetingName(overview.customer.name, overview.customer.kind))} · ${t.home.document(maskDocument(overview.customer.document))}</p>
${
  overview.invoices.length === 0
    ? html`<p class="notice">${t.home.none}</p>`
    : html`<p class="amount">${t.home.totalToday(formatBrl(overview.totalCents), formatBrazilianDate(today))}</p>
<ul class="plain">${overview.invoices.map(invoiceCard)}</ul>`
}
${
  overdue
    ? html`<section class="notice"><p>${t.home.negotiateCall}</p><a class="button secondary" href="/portal/negociar">${t.home.negotiate}</a></section>`
    : ""
}
${
  input.agreements.length > 0
    ? html`<h2>${t.home.agreements}</h2><ul>${input.agreements.map(
        (agreement) =>
          html`<li><a href="/portal/acordos/${agreement.id}">${t.home.agreement(
            formatBrazilianDate(todayIn(input.timeZone, agreement.createdAt)),
            t.agreement.status[agreement.status] ?? agreement.status,
          )}</a></li>`,
      )}</ul>`
    : ""
}`;
}

export function secondCopyPage(copy: SecondCopy, qrSvg: string | null): SafeHtml {
  const { amount } = copy;
  return html`<p>${t.invoice.originalDue(formatBrazilianDate(copy.invoice.dueDate))}</p>
<section class="card" aria-labelledby="valor-dia"><h2 id="valor-dia">${t.invoice.amountOfDay(formatBrazilianDate(copy.date))}</h2>
<dl class="breakdown">
<dt>${t.invoice.original}</dt><dd>${formatBrl(amount.principalCents)}</dd>
${amount.paidCents > 0 ? html`<dt>${t.invoice.paid}</dt><dd>${formatBrl(amount.paidCents)}</dd>` : ""}
<dt>${t.invoice.fine}</dt><dd>${formatBrl(amount.fineCents)}</dd>
<dt>${t.invoice.interest}</dt><dd>${formatBrl(amount.interestCents)}</dd>
<dt class="total">${t.invoice.total}</dt><dd class="total amount" data-total>${formatBrl(amount.totalDueCents)}</dd>
</dl></section>
${
  copy.pixPayload
    ? html`<section class="card" aria-labelledby="pix"><h2 id="pix">${t.invoice.pixTitle}</h2>
<p>${t.invoice.pixHelp}</p>
${copyField("pix-copia-e-cola", t.invoice.pixLabel, copy.pixPayload, t.invoice.copyPix, true)}
${qrSvg ? html`<figure class="qr" role="img" aria-label="${t.invoice.pixQr}">${trusted(qrSvg)}</figure>` : ""}
</section>`
    : ""
}
${
  copy.typeableLineFormatted
    ? html`<section class="card" aria-labelledby="boleto"><h2 id="boleto">${t.invoice.boletoTitle}</h2>
${copyField("linha-digitavel", t.invoice.lineLabel, copy.typeableLineFormatted, t.invoice.copyLine)}
</section>`
    : ""
}
${!copy.pixPayload && !copy.typeableLine ? html`<p class="notice">${t.invoice.noDocuments}</p>` : ""}
<p><a class="button" href="/portal/faturas/${copy.invoice.id}/segunda-via.pdf" download>${t.invoice.pdf}</a></p>
<p><a href="/portal">${t.invoice.back}</a></p>`;
}
