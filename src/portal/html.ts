import { portal as t } from "../i18n/pt-BR/portal.ts";
import { portalPix } from "../i18n/pt-BR/portal-pix.ts";
import { escapeHtml } from "../modules/templates/email-html.ts";

/**
 * HTML that is already safe to emit. Everything interpolated into `html` is escaped unless it is
 * one of these (or an array of them), so a customer's name or a description can never become markup.
 */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

type Interpolated = SafeHtml | string | number | null | undefined | false | Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup produced by code we trust (the QR code's SVG). */
/** Text whose hyphenated words ("E-mail") never break at the hyphen; the spaces still wrap. */
export function keepHyphenatedWords(text: string): SafeHtml {
  const parts = text.split(/(\S*-\S*)/);
  return html`${parts.map((part, index) => (index % 2 === 1 ? html`<span class="nowrap">${part}</span>` : part))}`;
}

export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A page of one message, with an optional way on ("back to the start"). */
export function messagePage(body: string, action?: { href: string; label: string }): SafeHtml {
  return html`<p>${body}</p>${action ? html`<p><a class="button" href="${action.href}">${action.label}</a></p>` : ""}`;
}

/** A field's error, announced at once and named by the field's aria-describedby. */
export function errorLine(id: string, message: string | undefined): SafeHtml {
  return message ? html`<p id="${id}" class="error" role="alert">${message}</p>` : html``;
}

export interface LayoutOptions {
  title: string;
  creditor: { name: string; document: string } | null;
  /** the signed-in session's CSRF token: shows the navigation and the sign-out button */
  csrfToken?: string;
  current?: "home" | "negotiate" | "plan" | "contacts" | "preferences" | "pix";
  body: SafeHtml;
}

/** The page shell: lang pt-BR, a skip link, the creditor's name, the navigation when signed in. */
export function layout(options: LayoutOptions): string {
  const { creditor, csrfToken, current } = options;
  const navItem = (key: NonNullable<LayoutOptions["current"]>, href: string, label: string) =>
    html`<li><a href="${href}"${current === key ? trusted(' aria-current="page"') : ""}>${label}</a></li>`;
  const nav =
    csrfToken !== undefined
      ? html`<nav aria-label="${t.navigationLabel}"><ul>
${navItem("home", "/portal", t.nav.home)}
${navItem("negotiate", "/portal/negociar", t.nav.negotiate)}
${navItem("plan", "/portal/plano", t.nav.plan)}
${navItem("contacts", "/portal/contato", t.nav.contacts)}
${navItem("preferences", "/portal/preferencias", t.nav.preferences)}
${navItem("pix", "/portal/pix-automatico", portalPix.navLabel)}
<li><form method="post" action="/portal/sair"><input type="hidden" name="csrf" value="${csrfToken}"><button type="submit" class="link">${t.nav.signOut}</button></form></li>
</ul></nav>`
      : "";
  const title = creditor ? t.documentTitle(options.title, creditor.name) : options.title;
  return html`<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/portal/static/portal.css">
<script src="/portal/static/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#conteudo">${t.skipToContent}</a>
<header><p class="creditor">${creditor?.name ?? ""}</p>${nav}</header>
<main id="conteudo" tabindex="-1">
<h1>${options.title}</h1>
${options.body}
</main>
${creditor ? html`<footer><p>${t.footer(creditor.name, creditor.document)}</p></footer>` : ""}
</body>
</html>`.text;
}

/** A copyable value: a read-only field with its label, and a copy button shown when scripts run. */
export function copyField(
  id: string,
  label: string,
  value: string,
  button: string,
  multiline = false,
): SafeHtml {
  const field = multiline
    ? html`<textarea id="${id}" readonly rows="4" spellcheck="false">${value}</textarea>`
    : html`<input id="${id}" type="text" readonly value="${value}" spellcheck="false">`;
  return html`<div class="copy-field"><label for="${id}">${label}</label>${field}
<button type="button" class="button secondary" data-copy="${id}" hidden>${button}</button>
<span class="copied" role="status" aria-live="polite" data-copied="${id}"></span></div>`;
}

export const PORTAL_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --brand: #0b4f9c; --line: #c8c8c8; --bg: #ffffff; --soft: #f2f5f9; --alert: #8a1c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 720px; margin: 0 auto; padding: 12px 16px; }
header { border-bottom: 1px solid var(--line); }
.creditor { font-weight: 700; margin: 0 0 8px; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
a { color: var(--brand); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, main:focus-visible { outline: 3px solid #e8a400; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 1; }
h1 { font-size: 1.5rem; line-height: 1.25; } h2 { font-size: 1.2rem; margin-top: 1.5em; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
.hint { color: var(--muted); font-size: .9rem; margin: 0 0 4px; }
input[type=text], input[type=email], input[type=tel], textarea { width: 100%; font: inherit; padding: 10px; border: 1px solid #767676; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.button, button { display: inline-block; font: inherit; font-weight: 600; padding: 10px 18px; margin: 8px 8px 0 0; border-radius: 6px; border: 2px solid var(--brand); background: var(--brand); color: #fff; text-decoration: none; cursor: pointer; min-height: 44px; }
.button.secondary, button.secondary { background: #fff; color: var(--brand); }
.nowrap { white-space: nowrap; }
button.link { background: none; border: none; color: var(--brand); text-decoration: underline; padding: 0; margin: 0; min-height: 0; font-weight: 400; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; background: #fff; }
.card h2, .card h3 { margin-top: 0; }
.amount { font-size: 1.4rem; font-weight: 700; }
.alert { border-left: 6px solid var(--alert); background: #fbeeee; padding: 12px 16px; margin: 12px 0; }
.notice { border-left: 6px solid var(--brand); background: var(--soft); padding: 12px 16px; margin: 12px 0; }
.error { color: var(--alert); font-weight: 600; }
dl.breakdown { display: grid; grid-template-columns: 1fr auto; gap: 4px 16px; margin: 8px 0; }
dl.breakdown dt { color: var(--muted); } dl.breakdown dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
dl.breakdown .total { font-weight: 700; color: var(--ink); }
.qr svg { width: 220px; height: 220px; max-width: 100%; }
.copied { display: inline-block; min-height: 1.5em; color: #1f6b2a; font-weight: 600; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); margin-top: 24px; }
ul.plain, ol.plain { list-style: none; padding: 0; }
label.inline { display: inline; font-weight: 400; }
fieldset.choices { border: 0; padding: 0; margin: 8px 0; } fieldset.choices legend { font-weight: 600; }
`;

export const PORTAL_JS = `
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector('[data-copied="' + button.getAttribute("data-copy") + '"]');
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.textContent = ${JSON.stringify(t.invoice.copied)};
      });
    });
  });
});
`;
