import { portal as t } from "../i18n/pt-BR/portal.ts";
import { errorLine, html, keepHyphenatedWords, type SafeHtml, trusted } from "./html.ts";

/**
 * The contacts (a change reviewed, then saved only after a code comes back) and the channel
 * preferences (an opt-out reviewed before it is made); saved contacts are masked.
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
    return html`<form method="post" action="/portal/contato/revisar" class="card" novalidate>
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="channel" value="${channel}">
<label for="${id}">${channel === "email" ? t.contacts.newEmail : t.contacts.newPhone}</label>
${channel === "sms" ? html`<p class="hint" id="${id}-dica">${t.contacts.phoneHint}</p>` : ""}
<input type="${channel === "email" ? "email" : "tel"}" id="${id}" name="value" required autocomplete="${channel === "email" ? "email" : "tel"}"
${channel === "sms" ? trusted(`aria-describedby="${id}-dica${message ? ` ${id}-erro` : ""}"`) : message ? trusted(`aria-describedby="${id}-erro"`) : ""}${message ? trusted(' aria-invalid="true"') : ""}>
${errorLine(`${id}-erro`, message)}
<button type="submit">${t.contacts.review}</button>
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

const channelWord = (channel: "email" | "sms") => (channel === "email" ? "e-mail" : "celular");

/**
 * What a contact change will do, before anything is sent or saved: the new contact as typed
 * (normalised), the code to come, the contacts it retires. Confirming sends the code.
 */
export function contactReviewPage(input: {
  csrf: string;
  change: { channel: "email" | "sms"; value: string };
  current: ContactView[];
}): SafeHtml {
  const { channel, value } = input.change;
  const replaced = input.current
    .filter((contact) => contact.channel === channel)
    .map((contact) => maskContact(contact.channel, contact.value));
  return html`<section class="card" aria-labelledby="novo-contato"><h2 id="novo-contato">${t.contacts.reviewNew(channelWord(channel), value)}</h2>
<p>${t.contacts.reviewSteps(value)}</p>
<p>${replaced.length > 0 ? t.contacts.reviewReplaces(replaced.join(", ")) : t.contacts.reviewFirst}</p>
</section>
<form method="post" action="/portal/contato">
<input type="hidden" name="csrf" value="${input.csrf}"><input type="hidden" name="channel" value="${channel}">
<input type="hidden" name="value" value="${value}">
<button type="submit">${t.contacts.sendCode(channelWord(channel))}</button>
<a class="button secondary" href="/portal/contato">${t.contacts.fix}</a>
</form>`;
}

/** What stopping a channel does, before it is done: the contacts that stop receiving, and the way back. */
export function optOutReviewPage(input: {
  csrf: string;
  channel: "email" | "sms" | "whatsapp";
  contacts: ContactView[];
}): SafeHtml {
  const label = t.contacts.channel[input.channel]!;
  const own = input.contacts
    .filter((contact) => contact.channel === input.channel)
    .map((contact) => maskContact(contact.channel, contact.value));
  return html`<p>${t.preferences.reviewOut(label, own.join(", "))}</p>
<p>${t.preferences.reviewStill}</p>
<form method="post" action="/portal/preferencias/confirmar">
<input type="hidden" name="csrf" value="${input.csrf}"><input type="hidden" name="channel" value="${input.channel}">
<input type="hidden" name="receive" value="no">
<button type="submit">${keepHyphenatedWords(t.preferences.confirmOut(label))}</button>
<a class="button secondary" href="/portal/preferencias">${t.preferences.keep}</a>
</form>`;
}
