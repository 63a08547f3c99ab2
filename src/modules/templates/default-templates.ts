import type { MessageTemplate, TemplateChannel } from "./template.ts";

/**
 * Régua's own templates, in Brazilian Portuguese, one for every step and channel of the default
 * régua (src/modules/policies/default-policy.ts) plus a WhatsApp reminder. A tenant's saved
 * template of the same name replaces the default.
 *
 * E-mail and letter bodies are plain text with a little structure that becomes HTML: a blank line
 * separates paragraphs, lines starting with "- " form a list, URLs become links. The creditor's
 * block (CDC art. 42-A) closes every template.
 */
const INVOICE_LINES = `{% for fatura in faturas %}- {{ fatura.descricao }}: vencimento {{ fatura.vencimento }}, {{ fatura.valor_atualizado }}{% if fatura.dias_atraso > 0 %} ({{ fatura.dias_atraso }} dias de atraso, original {{ fatura.valor_original }}){% endif %}
{% endfor %}`;

const PAYMENT_WAYS = `{% if fatura.linha_digitavel != "" %}Linha digitável do boleto: {{ fatura.linha_digitavel }}
{% endif %}{% if fatura.pix_copia_e_cola != "" %}Pix copia e cola: {{ fatura.pix_copia_e_cola }}
{% endif %}Segunda via: {{ fatura.segunda_via }}`;

const CREDITOR = `{{ credor.nome }} — CNPJ {{ credor.cnpj }}
{{ credor.endereco }}`;

const EMAIL_FOOTER = `Se você já pagou, desconsidere esta mensagem. Dúvidas e outras formas de pagamento: {{ link_portal }}

${CREDITOR}

Não quer mais receber estes e-mails? {{ link_descadastro }}`;

const SMS_CREDITOR = "{{ credor.nome }} CNPJ {{ credor.cnpj }}, {{ credor.endereco }}";

function email(name: string, subject: string, body: string): MessageTemplate {
  return template(name, "email", subject, `${body}\n\n${EMAIL_FOOTER}\n`);
}

function template(
  name: string,
  channel: TemplateChannel,
  subject: string | null,
  body: string,
): MessageTemplate {
  return {
    name,
    channel,
    subject,
    body,
    whatsappTemplate: null,
    whatsappLanguage: null,
    whatsappParameters: [],
    custom: false,
    updatedAt: null,
  };
}

export const DEFAULT_TEMPLATES: readonly MessageTemplate[] = [
  email(
    "email.d-5",
    "LEMBRETE: sua fatura vence em 5 dias",
    `Olá, {{ cliente.primeiro_nome }}!

Passando para lembrar que {% if quantidade_faturas > 1 %}suas faturas vencem{% else %}sua fatura vence{% endif %} em 5 dias, em {{ fatura.vencimento }}:

${INVOICE_LINES}
${PAYMENT_WAYS}

Pague até o vencimento e evite multa e juros.`,
  ),
  email(
    "email.d0",
    "NÃO ESQUEÇA: vence hoje",
    `Olá, {{ cliente.primeiro_nome }}!

Hoje é o último dia para pagar sem multa e juros:

${INVOICE_LINES}
${PAYMENT_WAYS}`,
  ),
  email(
    "email.d+6",
    "Opa, atrasou! Sua fatura venceu em {{ fatura.vencimento }}",
    `Olá, {{ cliente.primeiro_nome }}.

Não identificamos o pagamento de {% if quantidade_faturas > 1 %}{{ quantidade_faturas }} faturas{% else %}sua fatura{% endif %}. O valor atualizado para hoje, com multa e juros, é {{ total_atualizado }}:

${INVOICE_LINES}
${PAYMENT_WAYS}

Regularize para evitar a suspensão do serviço.`,
  ),
  email(
    "email.d+12",
    "Sua fatura está em atraso há {{ dias_atraso }} dias",
    `Olá, {{ cliente.primeiro_nome }}.

{% if quantidade_faturas > 1 %}Suas faturas continuam{% else %}Sua fatura continua{% endif %} em aberto. Valor atualizado para hoje: {{ total_atualizado }}.

${INVOICE_LINES}
${PAYMENT_WAYS}

Se precisar de condições especiais, fale com a gente pelo portal.`,
  ),
  email(
    "email.negotiation-offer",
    "{{ cliente.primeiro_nome }}, vamos negociar sua dívida?",
    `Olá, {{ cliente.primeiro_nome }}.

{% if quantidade_faturas > 1 %}Suas faturas estão{% else %}Sua fatura está{% endif %} em atraso há {{ dias_atraso }} dias, somando {{ total_atualizado }} hoje. Queremos ajudar: no portal você pode ver propostas de parcelamento e escolher a que cabe no seu bolso.

${INVOICE_LINES}
Ver propostas: {{ link_portal }}`,
  ),
  template(
    "sms.d-1",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, sua fatura de {{ fatura.valor_original }} vence amanhã ({{ fatura.vencimento }}). 2ª via: {{ fatura.segunda_via }} ${SMS_CREDITOR}`,
  ),
  template(
    "sms.d+6",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, sua fatura venceu em {{ fatura.vencimento }}. Hoje: {{ total_atualizado }}. Pague: {{ fatura.segunda_via }} ${SMS_CREDITOR}. Sair: {{ link_descadastro }}`,
  ),
  {
    ...template(
      "whatsapp.d+6",
      "whatsapp",
      null,
      `Olá, {{ cliente.primeiro_nome }}! Sua fatura de {{ fatura.vencimento }} está em aberto: {{ total_atualizado }} hoje. Pague pelo link {{ fatura.segunda_via }}. ${SMS_CREDITOR}`,
    ),
    whatsappTemplate: "cobranca_atraso",
    whatsappLanguage: "pt_BR",
    whatsappParameters: [
      "{{ cliente.primeiro_nome }}",
      "{{ fatura.vencimento }}",
      "{{ total_atualizado }}",
      "{{ fatura.segunda_via }}",
      `${SMS_CREDITOR}`,
    ],
  },
  template(
    "letter.d+15",
    "letter",
    "Notificação de débito em atraso",
    `{{ cliente.nome }}
Documento: {{ cliente.documento }}

Prezado(a) {{ cliente.primeiro_nome }},

Consta em nossos registros débito em aberto em seu nome, atualizado até hoje com multa e juros conforme contrato:

${INVOICE_LINES}
Total atualizado: {{ total_atualizado }}

Para pagar, use o boleto ou o Pix impressos nesta carta, ou acesse {{ link_portal }}. Se o pagamento já foi feito, desconsidere este aviso.

Esta carta é a comunicação prévia por escrito de que trata o art. 43, § 2º, do Código de Defesa do Consumidor.

${CREDITOR}
`,
  ),
  template(
    "task.negotiation",
    "task",
    "Ligar para {{ cliente.nome }} e oferecer negociação",
    `Cliente {{ cliente.nome }} ({{ cliente.documento }}) com {{ quantidade_faturas }} fatura(s) em atraso há {{ dias_atraso }} dias, total atualizado {{ total_atualizado }}.

${INVOICE_LINES}
Credor: ${CREDITOR}
`,
  ),
  // The agreement régua (src/modules/agreements/agreement-policy.ts): one installment per message.
  template(
    "sms.agreement-d-3",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, a parcela do seu acordo ({{ fatura.valor_original }}) vence em {{ fatura.vencimento }}. Veja e pague: {{ link_portal }} ${SMS_CREDITOR}`,
  ),
  email(
    "email.agreement-d0",
    "Hoje vence a parcela do seu acordo",
    `Olá, {{ cliente.primeiro_nome }}!

Hoje, {{ fatura.vencimento }}, vence a parcela do seu acordo: {{ fatura.descricao }}, {{ fatura.valor_original }}.

${PAYMENT_WAYS}

Pagar em dia mantém o acordo e as condições que você negociou.`,
  ),
  {
    ...template(
      "whatsapp.agreement-d+1",
      "whatsapp",
      null,
      `Olá, {{ cliente.primeiro_nome }}! Não identificamos o pagamento da parcela do seu acordo que venceu em {{ fatura.vencimento }} ({{ fatura.valor_original }}). Pague pelo link {{ fatura.segunda_via }}. ${SMS_CREDITOR}`,
    ),
    whatsappTemplate: "acordo_parcela_atrasada",
    whatsappLanguage: "pt_BR",
    whatsappParameters: [
      "{{ cliente.primeiro_nome }}",
      "{{ fatura.vencimento }}",
      "{{ fatura.valor_original }}",
      "{{ fatura.segunda_via }}",
      `${SMS_CREDITOR}`,
    ],
  },
  template(
    "sms.agreement-d+1",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, a parcela do acordo de {{ fatura.vencimento }} está em aberto. Pague: {{ fatura.segunda_via }} ${SMS_CREDITOR}`,
  ),
  email(
    "email.agreement-d+3",
    "Seu acordo está prestes a ser cancelado",
    `Olá, {{ cliente.primeiro_nome }}.

A parcela do seu acordo que venceu em {{ fatura.vencimento }} ({{ fatura.valor_original }}) continua em aberto. Se ela não for paga nos próximos dias, o acordo será desfeito: as condições negociadas deixam de valer e a dívida original volta a ser cobrada com multa e juros, descontado o que você já pagou.

${PAYMENT_WAYS}

Precisa de ajuda? Fale com a gente pelo portal: {{ link_portal }}`,
  ),
  template(
    "sms.agreement-d+3",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, seu acordo sera desfeito se a parcela de {{ fatura.vencimento }} nao for paga. Pague: {{ fatura.segunda_via }} ${SMS_CREDITOR}`,
  ),
  // A campaign's offer (src/modules/campaigns): a pre-approved agreement, with the link to accept it.
  email(
    "email.campaign-offer",
    "Uma condição especial para quitar sua dívida, até {{ oferta.validade }}",
    `Olá, {{ cliente.primeiro_nome }}.

Preparamos uma condição especial para você regularizar {{ quantidade_faturas }} fatura(s) em atraso, hoje {{ total_atualizado }}: {{ oferta.condicoes }}.

${INVOICE_LINES}
Veja o acordo, com cada pagamento e sua data, e aceite pelo portal até {{ oferta.validade }}: {{ oferta.link }}`,
  ),
  template(
    "sms.campaign-offer",
    "sms",
    null,
    `{{ cliente.primeiro_nome }}, oferta para quitar sua divida: {{ oferta.condicoes }}. Aceite ate {{ oferta.validade }}: {{ oferta.link }} ${SMS_CREDITOR}`,
  ),
  {
    ...template(
      "whatsapp.campaign-offer",
      "whatsapp",
      null,
      `Olá, {{ cliente.primeiro_nome }}! Temos uma condição especial para você quitar sua dívida: {{ oferta.condicoes }}. Aceite pelo portal até {{ oferta.validade }}: {{ oferta.link }} ${SMS_CREDITOR}`,
    ),
    whatsappTemplate: "oferta_campanha",
    whatsappLanguage: "pt_BR",
    whatsappParameters: [
      "{{ cliente.primeiro_nome }}",
      "{{ oferta.condicoes }}",
      "{{ oferta.validade }}",
      "{{ oferta.link }}",
      `${SMS_CREDITOR}`,
    ],
  }, // Pix Automático ended (rejected, cancelled or expired): src/modules/pix/pix-recurrence.service.ts
  email(
    "email.pix-automatico-encerrado",
    "Seu Pix Automático foi encerrado",
    `Olá, {{ cliente.primeiro_nome }}.

A autorização de Pix Automático do seu contrato foi encerrada, e as próximas faturas não serão mais debitadas automaticamente. Pague pelo boleto ou pelo Pix de cada fatura:

${INVOICE_LINES}
${PAYMENT_WAYS}

Quer autorizar de novo? É só acessar o portal: {{ link_portal }}`,
  ),
];

const byName = new Map(DEFAULT_TEMPLATES.map((entry) => [entry.name, entry]));

export function defaultTemplate(name: string): MessageTemplate | undefined {
  return byName.get(name);
}
