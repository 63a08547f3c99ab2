import { formatBrazilianDate, todayIn } from "../domain/dates.ts";
import { maskDocument } from "../domain/documents.ts";
import { formatBrl } from "../domain/money.ts";
import { greetingName } from "../domain/names.ts";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import type { Agreement, AgreementSimulation, PlanOption } from "../modules/agreements/agreement.ts";
import type { SecondCopy } from "../modules/invoices/second-copy.service.ts";
import type { PortalInvoice, PortalOverview } from "../modules/portal/portal.service.ts";
import { copyField, html, keepHyphenatedWords, type SafeHtml, trusted } from "./html.ts";

/**
 * The portal's page bodies, from plain data; the routes wrap them in the layout. Personal data is
 * minimised: the document is masked, contacts are masked, ids never appear in URLs but the opaque
 * ones of invoices and agreements.
 */

/** "ma***@exemplo.com.br"; "+55 11 9****-4321". */
export function maskContact(channel: string, value: string): string {
  if (channel === "email") {
    const [user = "", domain = ""] = value.split("@");
    return `${user.slice(0, 2)}***@${domain}`;
  }
  const digits = value.replace(/\D/g, "");
  if (digits.startsWith("55") && digits.length === 13) {
    return `+55 ${digits.slice(2, 4)} ${digits.slice(4, 5)}****-${digits.slice(9)}`;
  }
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}

function describe(invoice: { description: string; externalId: string }): string {
  return invoice.description || invoice.externalId;
}

function errorLine(id: string, message: string | undefined): SafeHtml {
  return message ? html`<p id="${id}" class="error" role="alert">${message}</p>` : html``;
}

export function messagePage(body: string, action?: { href: string; label: string }): SafeHtml {
  return html`<p>${body}</p>${action ? html`<p><a class="button" href="${action.href}">${action.label}</a></p>` : ""}`;
}

export function identityPage(input: {
  creditor: string;
  token: string;
  entryToken: string;
  document: "cpf" | "cnpj";
  alphanumeric: boolean;
  error?: string;
}): SafeHtml {
  const numeric = input.document === "cpf" || !input.alphanumeric;
  return html`<p>${t.identity.intro(input.creditor)}</p>
<form method="post" action="/portal/entrar" novalidate>
<input type="hidden" name="t" value="${input.token}">
<input type="hidden" name="csrf" value="${input.entryToken}">
<label for="resposta">${t.identity.label(input.document)}</label>
<p class="hint" id="resposta-dica">${t.identity.hint(input.document, input.alphanumeric)}</p>
<input type="text" id="resposta" name="resposta" required maxlength="8" autocomplete="off" autocapitalize="characters"
 inputmode="${numeric ? "numeric" : "text"}" aria-describedby="resposta-dica${input.error ? " resposta-erro" : ""}"${input.error ? trusted(' aria-invalid="true"') : ""}>
${errorLine("resposta-erro", input.error)}
<button type="submit">${t.identity.submit}</button>
</form>`;
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

export interface ContactView {
  channel: string;
  value: string;
  optedOut: boolean;
  verified: boolean;
}

export function contactsPage(input: {
  csrf: string;
  contacts: ContactView[];
  pending?: { codeId: string; channel: string; value: string } | undefined;
  notice?: string | undefined;
  error?: { field: "email" | "sms" | "code"; message: string } | undefined;
}): SafeHtml {
  const { csrf, error } = input;
  const fieldError = (field: "email" | "sms" | "code") =>
    error?.field === field ? error.message : undefined;
  const changeForm = (channel: "email" | "sms") => {
    const id = `novo-${channel}`;
    const message = fieldError(channel);
    return html`<form method="post" action="/portal/contato" class="card" novalidate>
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="channel" value="${channel}">
<label for="${id}">${channel === "email" ? t.contacts.newEmail : t.contacts.newPhone}</label>
${channel === "sms" ? html`<p class="hint" id="${id}-dica">${t.contacts.phoneHint}</p>` : ""}
<input type="${channel === "email" ? "email" : "tel"}" id="${id}" name="value" required autocomplete="${channel === "email" ? "email" : "tel"}"
${channel === "sms" ? trusted(`aria-describedby="${id}-dica${message ? ` ${id}-erro` : ""}"`) : message ? trusted(`aria-describedby="${id}-erro"`) : ""}${message ? trusted(' aria-invalid="true"') : ""}>
${errorLine(`${id}-erro`, message)}
<button type="submit">${t.contacts.sendCode(channel === "email" ? "e-mail" : "celular")}</button>
</form>`;
  };
  return html`<p>${t.contacts.intro}</p>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ""}
${
  input.pending
    ? html`<form method="post" action="/portal/contato/confirmar" class="card" novalidate>
<p role="status">${t.contacts.codeSent(maskContact(input.pending.channel, input.pending.value))}</p>
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="codeId" value="${input.pending.codeId}">
<label for="codigo">${t.contacts.codeLabel}</label>
<input type="text" id="codigo" name="code" required inputmode="numeric" autocomplete="one-time-code" maxlength="6"${fieldError("code") ? trusted(' aria-invalid="true" aria-describedby="codigo-erro"') : ""}>
${errorLine("codigo-erro", fieldError("code"))}
<button type="submit">${t.contacts.confirm}</button>
</form>`
    : ""
}
<h2>${t.contacts.current}</h2>
${
  input.contacts.length === 0
    ? html`<p>${t.contacts.none}</p>`
    : html`<ul>${input.contacts.map(
        (contact) =>
          html`<li>${t.contacts.channel[contact.channel] ?? contact.channel}: ${maskContact(contact.channel, contact.value)}${
            contact.verified ? ` (${t.contacts.verified})` : ""
          }${contact.optedOut ? ` (${t.contacts.optedOut})` : ""}</li>`,
      )}</ul>`
}
${changeForm("email")}
${changeForm("sms")}`;
}

export function preferencesPage(input: {
  csrf: string;
  contacts: ContactView[];
  notice?: string | undefined;
}): SafeHtml {
  const channels = ["email", "sms", "whatsapp"] as const;
  return html`<p>${t.preferences.intro}</p>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ""}
${channels.map((channel) => {
  const label = t.contacts.channel[channel]!;
  const own = input.contacts.filter((contact) => contact.channel === channel);
  const receiving = own.some((contact) => !contact.optedOut);
  return html`<section class="card" aria-labelledby="canal-${channel}"><h2 id="canal-${channel}">${label}</h2>
${
  own.length === 0
    ? html`<p>${t.preferences.noContact}</p>`
    : html`<p>${own.map((contact) => maskContact(contact.channel, contact.value)).join(", ")}</p>
<p>${receiving ? t.preferences.receiving : t.preferences.notReceiving}</p>
<form method="post" action="/portal/preferencias">
<input type="hidden" name="csrf" value="${input.csrf}"><input type="hidden" name="channel" value="${channel}">
<input type="hidden" name="receive" value="${receiving ? "no" : "yes"}">
<button type="submit" class="${receiving ? "secondary" : ""}">${keepHyphenatedWords(receiving ? t.preferences.stop(label) : t.preferences.resume(label))}</button>
</form>`
}</section>`;
})}`;
}

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
<button type="submit">${t.negotiate.accept}</button>
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
