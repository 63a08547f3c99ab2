import { portal as t } from "../i18n/pt-BR/portal.ts";
import { errorLine, html, type SafeHtml, trusted } from "./html.ts";

/** The entry's page body: the identity check behind a signed link. */

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
