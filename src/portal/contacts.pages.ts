import { portal as t } from "../i18n/pt-BR/portal.ts";
import { errorLine, html, keepHyphenatedWords, type SafeHtml, trusted } from "./html.ts";

/** The contacts (changed only after a code comes back) and the channel preferences; contacts are masked. */

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
