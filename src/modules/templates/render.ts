import { Liquid, type Template } from "liquidjs";
import { toGsm7 } from "../../channels/sms-segments.ts";
import { formatTypeableLine } from "../../domain/boleto.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { formatDocument, maskDocument } from "../../domain/documents.ts";
import { formatBrl } from "../../domain/money.ts";
import { greetingName } from "../../domain/names.ts";
import type { Creditor } from "../tenants/tenant.ts";
import type { MessageTemplate, TemplateChannel } from "./template.ts";

/** One invoice of a message, its amounts already computed for the day of sending. */
export interface MessageInvoice {
  id: string;
  description: string;
  dueDate: string;
  originalCents: number;
  fineCents: number;
  interestCents: number;
  /** outstanding principal plus fine and interest today (settleInvoice) */
  updatedCents: number;
  daysOverdue: number;
  typeableLine: string | null;
  pixPayload: string | null;
  secondCopyUrl: string;
}

/** Everything a template can speak of: one customer, one or more invoices, one creditor. */
export interface MessageData {
  creditor: Creditor;
  /** address: for letters (the window envelope); absent in previews */
  customer: { name: string; document: string; kind: "person" | "company"; address?: string | null };
  invoices: MessageInvoice[];
  portalUrl: string;
  optOutUrl: string;
  /** a campaign's offer (src/modules/campaigns): its portal link, what it offers, its last day */
  offer?: { url: string; summary: string; validUntil: string } | undefined;
}

export interface RenderedMessage {
  channel: TemplateChannel;
  subject: string | null;
  /** the plain text: the e-mail's text part, the SMS, the letter's body, the task's description */
  text: string;
  /** WhatsApp: the values of the approved template's body parameters */
  parameters: string[];
}

/**
 * One engine for every template: strict variables and filters, so that a misspelt variable is an
 * error when the template is saved instead of an empty gap in a debtor's message.
 */
export const liquid = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  cache: 500,
});

/** The Liquid scope of a message: Portuguese names, values already formatted for a reader. */
export function templateScope(data: MessageData): Record<string, unknown> {
  const invoices = data.invoices.map((invoice) => ({
    descricao: invoice.description,
    vencimento: formatBrazilianDate(invoice.dueDate),
    valor_original: formatBrl(invoice.originalCents),
    valor_atualizado: formatBrl(invoice.updatedCents),
    multa: formatBrl(invoice.fineCents),
    juros: formatBrl(invoice.interestCents),
    dias_atraso: Math.max(0, invoice.daysOverdue),
    linha_digitavel: invoice.typeableLine ? formatTypeableLine(invoice.typeableLine) : "",
    pix_copia_e_cola: invoice.pixPayload ?? "",
    segunda_via: invoice.secondCopyUrl,
  }));
  return {
    cliente: {
      nome: data.customer.name,
      primeiro_nome: greetingName(data.customer.name, data.customer.kind),
      documento: maskDocument(data.customer.document),
    },
    faturas: invoices,
    fatura: invoices[0] ?? {},
    quantidade_faturas: invoices.length,
    total_original: formatBrl(data.invoices.reduce((sum, invoice) => sum + invoice.originalCents, 0)),
    total_atualizado: formatBrl(data.invoices.reduce((sum, invoice) => sum + invoice.updatedCents, 0)),
    dias_atraso: Math.max(0, ...data.invoices.map((invoice) => invoice.daysOverdue)),
    link_portal: data.portalUrl,
    link_descadastro: data.optOutUrl,
    // empty outside a campaign's messages, so that every template checks against the same scope
    oferta: {
      link: data.offer?.url ?? data.portalUrl,
      condicoes: data.offer?.summary ?? "",
      validade: data.offer?.validUntil ?? "",
    },
    credor: {
      nome: data.creditor.name,
      cnpj: formatDocument(data.creditor.document),
      endereco: data.creditor.address,
    },
  };
}

interface ParsedTemplate {
  subject: Template[] | null;
  body: Template[];
  parameters: Template[][];
}

const parsedCache = new Map<string, ParsedTemplate>();

/** Parses a template's parts once per content (the dispatcher renders the same few thousands of times). */
export function parseTemplate(template: MessageTemplate): ParsedTemplate {
  const key = `${template.name}\u0000${template.subject ?? ""}\u0000${template.body}\u0000${template.whatsappParameters.join("\u0000")}`;
  let parsed = parsedCache.get(key);
  if (!parsed) {
    parsed = {
      subject: template.subject === null ? null : liquid.parse(template.subject),
      body: liquid.parse(template.body),
      parameters: template.whatsappParameters.map((parameter) => liquid.parse(parameter)),
    };
    if (parsedCache.size > 1000) parsedCache.clear();
    parsedCache.set(key, parsed);
  }
  return parsed;
}

/** Renders a template for one message. SMS text is brought into GSM-7 (see toGsm7). */
export function renderTemplate(template: MessageTemplate, data: MessageData): RenderedMessage {
  const parsed = parseTemplate(template);
  const scope = templateScope(data);
  const subject = parsed.subject === null ? null : oneLine(liquid.renderSync(parsed.subject, scope));
  let text = tidy(liquid.renderSync(parsed.body, scope));
  if (template.channel === "sms") text = toGsm7(oneLine(text));
  const parameters = parsed.parameters.map((parameter) => oneLine(liquid.renderSync(parameter, scope)));
  return { channel: template.channel, subject, text, parameters };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Trailing spaces off, at most one blank line in a row: loops and ifs leave gaps. */
function tidy(text: string): string {
  return `${text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
