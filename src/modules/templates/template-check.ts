import { smsLength, toGsm7 } from "../../channels/sms-segments.ts";
import { formatDocument } from "../../domain/documents.ts";
import { liquid, type MessageData, renderTemplate } from "./render.ts";
import { INVOICE_FIELDS, type MessageTemplate, TEMPLATE_VARIABLES } from "./template.ts";

export interface TemplateCheckOptions {
  /** how many SMS parts a message may take (tenant setting) */
  smsMaxSegments: number;
  /** the start of Régua's public links, to size them as they will be sent */
  publicUrl: string;
}

/**
 * Sample data for previews and checks, sized like real messages: a long name, two invoices, a
 * boleto and a Pix payload, links as long as the short links the dispatcher makes.
 */
export function sampleMessageData(creditor: MessageData["creditor"], publicUrl: string): MessageData {
  const link = (code: string) => `${publicUrl.replace(/\/$/, "")}/l/${code}`;
  return {
    creditor,
    customer: { name: "Maria Aparecida dos Santos Oliveira", document: "12345678909", kind: "person" },
    invoices: [
      {
        id: "00000000-0000-4000-8000-000000000001",
        description: "Mensalidade novembro/2026",
        dueDate: "2026-11-10",
        originalCents: 129_90,
        fineCents: 2_60,
        interestCents: 56,
        updatedCents: 133_06,
        daysOverdue: 13,
        typeableLine: "23790.12301 60000.000004 00000.001000 1 12345000012990",
        pixPayload:
          "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865406129.905802BR5913Credora Ltda6009SAO PAULO62070503***6304ABCD",
        secondCopyUrl: link("Xk3pQ9aZ"),
      },
      {
        id: "00000000-0000-4000-8000-000000000002",
        description: "Mensalidade dezembro/2026",
        dueDate: "2026-12-10",
        originalCents: 129_90,
        fineCents: 0,
        interestCents: 0,
        updatedCents: 129_90,
        daysOverdue: 0,
        typeableLine: null,
        pixPayload: null,
        secondCopyUrl: link("Pw7tR2mB"),
      },
    ],
    portalUrl: link("Hn4sL8qE"),
    optOutUrl: link("Zc6vB1yT"),
    // the longest a campaign's offer says (src/modules/campaigns/campaign-message.ts)
    offer: {
      url: link("Of3rT4aB"),
      summary: "parcelamento em até 48x, 12,5% de desconto sobre o valor principal, sem multa e juros",
      validUntil: "31/12/2026",
    },
  };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

const KNOWN = Object.keys(TEMPLATE_VARIABLES);

/** "você quis dizer cliente.primeiro_nome?" for a near miss. */
function suggestion(name: string): string {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of KNOWN) {
    const d = distance(name, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? ` (você quis dizer ${best}?)`
    : "";
}

function isKnownVariable(path: string): boolean {
  if (path in TEMPLATE_VARIABLES) return true;
  // the list, its Liquid properties (faturas.size, faturas.first) and faturas[0].campo
  const list = /^faturas(\.(size|first|last)|\[\d+\])?(\.(.+))?$/.exec(path);
  if (list) return list[4] === undefined || (list[2] !== "size" && INVOICE_FIELDS.includes(list[4]));
  return false;
}

/**
 * Everything wrong with a template, in pt-BR, each naming the template and the problem: syntax
 * errors, unknown variables, the creditor's name, CNPJ and address missing (CDC art. 42-A), an SMS
 * over the configured number of parts. Empty when the template may be saved.
 */
export function checkTemplate(
  template: MessageTemplate,
  creditor: MessageData["creditor"],
  options: TemplateCheckOptions,
): string[] {
  const problems: string[] = [];
  const parts: [string, string][] = [
    ["corpo", template.body],
    ...(template.subject === null ? [] : ([["assunto", template.subject]] as [string, string][])),
    ...template.whatsappParameters.map((value, index): [string, string] => [
      `parâmetro {{${index + 1}}}`,
      value,
    ]),
  ];
  const unknown = new Set<string>();
  for (const [where, source] of parts) {
    try {
      for (const variable of liquid.globalFullVariablesSync(liquid.parse(source))) {
        if (!isKnownVariable(variable)) unknown.add(variable);
      }
    } catch (error) {
      problems.push(`erro de sintaxe no ${where}: ${(error as Error).message}`);
    }
  }
  for (const variable of unknown) problems.push(`variável desconhecida "${variable}"${suggestion(variable)}`);
  if (problems.length > 0) return problems.map((problem) => `modelo ${template.name}: ${problem}`);

  const sample = sampleMessageData(creditor, options.publicUrl);
  let rendered: ReturnType<typeof renderTemplate>;
  try {
    rendered = renderTemplate(template, sample);
  } catch (error) {
    // a field of the loop variable (fatura.xyz inside a for) surfaces only when rendering
    const message = (error as Error).message;
    const missing = /undefined variable: ([^,]+)/.exec(message);
    const text = missing?.[1]
      ? `variável desconhecida "${missing[1]}"${suggestion(missing[1])}`
      : `erro ao montar com dados de exemplo: ${message}`;
    return [`modelo ${template.name}: ${text}`];
  }

  const visible =
    template.channel === "whatsapp"
      ? rendered.parameters.join(" ")
      : `${rendered.subject ?? ""}\n${rendered.text}`;
  // an SMS goes out in GSM-7 ("São Paulo" becomes "Sao Paulo"): look for what the debtor will read
  const shown = (text: string) => (template.channel === "sms" ? toGsm7(text) : text);
  const missingCreditor: string[] = [];
  if (!visible.includes(shown(creditor.name))) missingCreditor.push("nome (credor.nome)");
  if (!visible.includes(shown(formatDocument(creditor.document)))) missingCreditor.push("CNPJ (credor.cnpj)");
  if (!visible.includes(shown(creditor.address))) missingCreditor.push("endereço (credor.endereco)");
  if (missingCreditor.length > 0) {
    problems.push(
      `falta identificar o credor — ${missingCreditor.join(", ")}; toda mensagem de cobrança deve trazer nome, CNPJ e endereço do credor (CDC art. 42-A)${template.channel === "whatsapp" ? " nos parâmetros do modelo" : ""}`,
    );
  }
  if (template.channel === "sms") {
    const length = smsLength(rendered.text);
    if (length.segments > options.smsMaxSegments) {
      problems.push(
        `o SMS ocupa ${length.segments} partes (${length.units} caracteres ${length.encoding}) com dados de exemplo; o limite configurado é ${options.smsMaxSegments} — encurte o texto ou aumente o limite`,
      );
    }
  }
  return problems.map((problem) => `modelo ${template.name}: ${problem}`);
}
