import { z } from "zod";

/**
 * Glossary: a template (modelo) is the text of one message for one channel and step, written in
 * Liquid with the variables below. Its name says its channel ("email.d-5", "sms.d+6",
 * "letter.d+15", "task.negotiation"): policies' steps refer to templates by name. Régua ships a
 * default for every name the default régua uses; a tenant may save its own version of any name.
 * Every template must show the creditor's name, CNPJ and address (CDC art. 42-A).
 */
export type TemplateChannel = "email" | "sms" | "whatsapp" | "letter" | "task";

export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ["email", "sms", "whatsapp", "letter", "task"];

export interface MessageTemplate {
  name: string;
  channel: TemplateChannel;
  /** e-mail subject, letter title, task title; null for SMS and WhatsApp */
  subject: string | null;
  body: string;
  /** WhatsApp only: the name and language of the template approved by Meta */
  whatsappTemplate: string | null;
  whatsappLanguage: string | null;
  /** WhatsApp only: one Liquid expression per body parameter ({{1}}, {{2}}…) of the approved template */
  whatsappParameters: string[];
  /** true when the tenant saved its own version; false for Régua's default */
  custom: boolean;
  updatedAt: Date | null;
}

/** The variables a template may use, with what they hold (shown in errors and in `regua templates vars`). */
export const TEMPLATE_VARIABLES: Record<string, string> = {
  "cliente.nome": "nome do cliente",
  "cliente.primeiro_nome": "primeiro nome do cliente (pessoa física) ou nome da empresa",
  "cliente.documento": "CPF/CNPJ mascarado (ex.: ***.456.789-**)",
  faturas: "lista das faturas da mensagem (cada uma com os campos de fatura.*)",
  fatura: "a primeira (ou única) fatura da mensagem",
  "fatura.descricao": "descrição da fatura",
  "fatura.vencimento": "vencimento (dd/mm/aaaa)",
  "fatura.valor_original": "valor original (R$)",
  "fatura.valor_atualizado": "valor atualizado para hoje, com multa e juros (R$)",
  "fatura.multa": "multa (R$)",
  "fatura.juros": "juros (R$)",
  "fatura.dias_atraso": "dias de atraso (0 antes do vencimento)",
  "fatura.linha_digitavel": "linha digitável do boleto (vazio sem boleto)",
  "fatura.pix_copia_e_cola": "Pix copia e cola (vazio sem Pix)",
  "fatura.segunda_via": "link da segunda via",
  quantidade_faturas: "número de faturas da mensagem",
  total_original: "soma dos valores originais (R$)",
  total_atualizado: "soma dos valores atualizados (R$)",
  dias_atraso: "maior atraso entre as faturas, em dias",
  link_portal: "link do portal do cliente",
  link_descadastro: "link para deixar de receber mensagens deste canal",
  "oferta.link": "link do portal para a oferta da campanha (fora de campanhas, o link do portal)",
  "oferta.condicoes":
    "o que a campanha oferece (ex.: pagamento à vista, 10% de desconto); vazio fora de campanhas",
  "oferta.validade": "último dia da oferta da campanha (dd/mm/aaaa); vazio fora de campanhas",
  "credor.nome": "razão social do credor (CDC art. 42-A)",
  "credor.cnpj": "CNPJ (ou CPF) do credor, formatado (CDC art. 42-A)",
  "credor.endereco": "endereço do credor (CDC art. 42-A)",
};

export const INVOICE_FIELDS = Object.keys(TEMPLATE_VARIABLES)
  .filter((name) => name.startsWith("fatura."))
  .map((name) => name.slice("fatura.".length));

const NAME = /^(email|sms|whatsapp|letter|task)\.[a-z0-9][a-z0-9+\-.]{0,58}$/;

export const ZSaveTemplate = z
  .object({
    name: z.string().trim().regex(NAME, {
      error:
        'nome do modelo: use "canal.passo", com canal email, sms, whatsapp, letter ou task (ex.: email.d-5)',
    }),
    subject: z.string().trim().min(1).max(300).nullable().default(null),
    body: z.string().min(1, { error: "o corpo do modelo está vazio" }).max(20_000),
    whatsappTemplate: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, { error: "nome de modelo do WhatsApp: letras minúsculas, dígitos e _" })
      .nullable()
      .default(null),
    whatsappLanguage: z
      .string()
      .regex(/^[a-z]{2}(_[A-Z]{2})?$/, { error: "idioma do WhatsApp: ex.: pt_BR" })
      .nullable()
      .default(null),
    whatsappParameters: z.array(z.string().min(1)).max(20).default([]),
  })
  .superRefine((input, context) => {
    if (!NAME.test(input.name)) return;
    const channel = channelOfTemplate(input.name);
    if ((channel === "email" || channel === "letter" || channel === "task") && !input.subject) {
      context.addIssue({
        code: "custom",
        path: ["subject"],
        message: `modelo ${input.name}: informe o assunto (${channel === "email" ? "linha de assunto do e-mail" : "título"})`,
      });
    }
    if (channel === "whatsapp" && (!input.whatsappTemplate || !input.whatsappLanguage)) {
      context.addIssue({
        code: "custom",
        path: ["whatsappTemplate"],
        message: `modelo ${input.name}: informe o nome e o idioma do modelo aprovado pela Meta (ex.: cobranca_lembrete, pt_BR)`,
      });
    }
  });
export type TSaveTemplate = z.input<typeof ZSaveTemplate>;

export function channelOfTemplate(name: string): TemplateChannel {
  const channel = name.slice(0, name.indexOf(".")) as TemplateChannel;
  if (!TEMPLATE_CHANNELS.includes(channel)) throw new Error(`template ${name} has no channel prefix`);
  return channel;
}
