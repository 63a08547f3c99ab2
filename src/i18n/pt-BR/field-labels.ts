/**
 * The human name of every input field of the API, as a person filling the dashboard's forms reads
 * it. An error about `steps.6.window` reaches the operator as "Passo 7 — Janela de envio: …",
 * never as the internal path; the API keeps the path in the error's `field` for programs.
 *
 * Looked up by the path's longest known ending (`window.start` before `start`), so a name that
 * means different things in different places gets an entry with its parent.
 */
const LABELS: Record<string, string> = {
  // customers, contacts, addresses
  externalId: "Código",
  name: "Nome",
  document: "CPF/CNPJ",
  kind: "Tipo",
  address: "Endereço",
  "address.street": "Logradouro",
  "address.number": "Número",
  "address.district": "Bairro",
  "address.city": "Cidade",
  "address.state": "UF",
  "address.postalCode": "CEP",
  contacts: "Contatos",
  channel: "Canal",
  channels: "Canais",
  value: "Contato",
  consent: "Consentimento",
  verifiedOwner: "Titular confirmado",
  tags: "Etiquetas",
  tag: "Etiqueta",
  customerId: "Cliente",
  customerIds: "Clientes",
  customerExternalId: "Código do cliente",
  creditLimitCents: "Limite de crédito",
  search: "Busca",
  standing: "Situação",
  groupId: "Grupo",
  minDaysOverdue: "Dias de atraso (mínimo)",
  maxDaysOverdue: "Dias de atraso (máximo)",
  // calls, notes, pauses, reopening, portal links
  outcome: "Resultado",
  body: "Texto",
  promisedOn: "Data prometida",
  promisedCents: "Valor prometido",
  until: "Pausar até",
  reason: "Motivo",
  purpose: "Finalidade",
  ttlDays: "Validade do link (dias)",
  ttlMinutes: "Validade (minutos)",
  // contracts, invoices, payments
  contractId: "Contrato",
  consumer: "Relação de consumo",
  plan: "Plano",
  plans: "Planos",
  monthlyPriceCents: "Preço mensal",
  startedOn: "Início do contrato",
  status: "Situação",
  fineBps: "Multa",
  interestMonthlyBps: "Juros ao mês",
  earlyDiscountBps: "Desconto por antecipação",
  earlyDiscountDays: "Dias de antecedência do desconto",
  amountCents: "Valor",
  dueDate: "Vencimento",
  issueDate: "Emissão",
  description: "Descrição",
  typeableLine: "Linha digitável",
  pixPayload: "Pix copia e cola",
  invoiceId: "Fatura",
  invoiceIds: "Faturas",
  invoiceExternalId: "Código da fatura",
  paidAt: "Pago em",
  method: "Meio de pagamento",
  paymentMethod: "Meio de pagamento",
  daysOverdueMin: "Dias de atraso (mínimo)",
  daysOverdueMax: "Dias de atraso (máximo)",
  dueFrom: "Vencimento de",
  dueTo: "Vencimento até",
  date: "Data",
  format: "Formato",
  allocations: "Rateio",
  note: "Observação",
  // agreements and their limits
  installments: "Parcelas",
  downPaymentCents: "Entrada",
  firstDueDate: "Primeiro vencimento",
  dayOfMonth: "Dia do vencimento",
  principalDiscountBps: "Desconto sobre o principal",
  monthlyInterestBps: "Juros do parcelamento ao mês",
  waiveFine: "Dispensar a multa",
  waiveInterest: "Dispensar os juros",
  limits: "Limites",
  "limits.admin": "Limites do administrador",
  "limits.analyst": "Limites do analista",
  "limits.portal": "Limites do portal",
  maxInstallments: "Máximo de parcelas",
  maxPrincipalDiscountBps: "Desconto máximo sobre o principal",
  mayWaiveFine: "Pode dispensar a multa",
  mayWaiveInterest: "Pode dispensar os juros",
  minInstallmentCents: "Parcela mínima",
  defaultMonthlyInterestBps: "Juros do parcelamento ao mês (padrão)",
  breakToleranceBusinessDays: "Tolerância de quebra (dias úteis)",
  settlementDiscountBps: "Desconto à vista",
  standingRecoversWhileActive: "Situação volta a em dia durante o acordo",
  policyId: "Régua",
  // réguas (policies) and their steps
  steps: "Passos",
  active: "Ativa",
  priority: "Prioridade",
  segment: "Segmento",
  "segment.kind": "Tipo de cliente do segmento",
  "segment.minAmountCents": "Valor mínimo do segmento",
  "segment.maxAmountCents": "Valor máximo do segmento",
  "segment.plans": "Planos do segmento",
  "segment.tags": "Etiquetas do segmento",
  groupByCustomer: "Agrupar por cliente",
  frequencyCap: "Limite de envios",
  perChannelPerDay: "Envios por canal por dia",
  perChannelPerWeek: "Envios por canal por semana",
  "standing.dayKind": "Contagem dos dias da situação",
  warningDays: "Dias até ficar em aviso",
  suspendedDays: "Dias até a suspensão",
  cancelledDays: "Dias até o cancelamento",
  minimumCents: "Valor mínimo em atraso",
  offsetDays: "Dias em relação ao vencimento",
  dayKind: "Tipo de dia",
  templates: "Modelos",
  template: "Modelo",
  window: "Janela de envio",
  "window.start": "Início da janela de envio",
  "window.end": "Fim da janela de envio",
  conditions: "Condições",
  minAmountCents: "Valor mínimo",
  maxAmountCents: "Valor máximo",
  onlyIf: "Só se",
  "onlyIf.step": "Só se o passo",
  "onlyIf.outcome": "Só se o resultado",
  onlyWithoutChannel: "Só sem o canal",
  verifiedContactsOnly: "Só contatos confirmados",
  scoreBands: "Faixas de probabilidade",
  attachLetter: "Anexar carta",
  subject: "Assunto",
  whatsappTemplate: "Modelo do WhatsApp",
  whatsappLanguage: "Idioma do modelo do WhatsApp",
  whatsappParameters: "Parâmetros do modelo do WhatsApp",
  // experiments and scores
  controlPolicyId: "Régua de controle",
  variantPolicyId: "Régua variante",
  holdoutPercent: "Grupo sem régua (%)",
  horizonDays: "Horizonte (dias)",
  // campaigns for aged debt
  selection: "Dívidas escolhidas",
  "selection.daysOverdueFrom": "Dias de atraso (a partir de)",
  "selection.daysOverdueTo": "Dias de atraso (até)",
  "selection.amountFromCents": "Valor em aberto (a partir de)",
  "selection.amountToCents": "Valor em aberto (até)",
  offer: "Oferta",
  validUntil: "Válida até",
  // reports, previews and lists
  from: "De",
  to: "Até",
  days: "Dias",
  group: "Grupo",
  groupBy: "Agrupar por",
  cursor: "Página",
  limit: "Quantidade por página",
  resourceId: "Registro",
  // tickets, groups, bulk sends
  title: "Título",
  assigneeId: "Responsável",
  assignee: "Responsável",
  dueOn: "Prazo",
  bureauNoticeWaitDays: "Espera após a carta (dias)",
  filter: "Filtro",
  dryRun: "Simulação",
  // operators, keys, sign-in
  tenant: "Credor",
  email: "E-mail",
  password: "Senha",
  role: "Papel",
  scope: "Escopo",
  // webhooks
  url: "Endereço (URL)",
  events: "Eventos",
  endpointId: "Destino",
  // imports
  wait: "Aguardar",
  // bank accounts and files
  bankCode: "Banco",
  agency: "Agência",
  agencyDigit: "Dígito da agência",
  account: "Conta",
  accountDigit: "Dígito da conta",
  wallet: "Carteira",
  agreementCode: "Convênio",
  station: "Posto",
  layout: "Leiaute",
  isDefault: "Conta padrão",
  provider: "Provedor",
  // Pix settings
  baseUrl: "URL da API do PSP",
  tokenUrl: "URL do token",
  clientId: "Client ID",
  clientSecret: "Client secret",
  certificatePem: "Certificado",
  privateKeyPem: "Chave privada",
  caPem: "Certificado da autoridade",
  receiverKey: "Chave Pix",
  daysValidAfterDue: "Dias de validade após o vencimento",
  recurrenceRetryPolicy: "Novas tentativas do Pix Automático",
  journey: "Jornada",
  // messaging settings
  emailFrom: "Remetente do e-mail",
  emailPerSecond: "E-mails por segundo",
  smtpUrl: "Servidor SMTP",
  smsProvider: "Provedor de SMS",
  smsBaseUrl: "URL do provedor de SMS",
  smsAccount: "Conta do SMS",
  smsToken: "Token do SMS",
  smsFrom: "Remetente do SMS",
  smsCallbackToken: "Token de retorno do SMS",
  smsMaxSegments: "Máximo de partes por SMS",
  smsPerSecond: "SMS por segundo",
  smsPriceCents: "Preço do SMS",
  whatsappBaseUrl: "URL da API do WhatsApp",
  whatsappToken: "Token do WhatsApp",
  whatsappPhoneNumberId: "Número do WhatsApp (ID)",
  whatsappAppSecret: "Segredo do app do WhatsApp",
  whatsappVerifyToken: "Token de verificação do WhatsApp",
  whatsappVersion: "Versão da API do WhatsApp",
  whatsappPerSecond: "Mensagens de WhatsApp por segundo",
  whatsappPriceCents: "Preço da mensagem de WhatsApp",
  // a file sent whole (policy YAML)
  arquivo: "Arquivo",
};

/** Whose setting a nested field is, said after its label ("Máximo de parcelas (analista)"). */
const OWNERS: Record<string, string> = {
  "limits.admin": "administrador",
  "limits.analyst": "analista",
  "limits.portal": "portal",
};

/** The noun of one element of a list, numbered from 1 ("Passo 7"). */
const ITEM_NAMES: Record<string, string> = {
  steps: "Passo",
  contacts: "Contato",
  plans: "Plano",
  allocations: "Rateio",
  invoiceIds: "Fatura",
  customerIds: "Cliente",
  tags: "Etiqueta",
  channels: "Canal",
};

/**
 * The label of a dotted input path ("steps.6.window.start" → "Passo 7 — Início da janela de
 * envio"), or null when no label is known (the caller then keeps the path: better a path than
 * nothing).
 */
export function fieldLabel(path: string): string | null {
  const parts = path.split(".").filter((part) => part !== "");
  const lastIndex = parts.findLastIndex((part) => /^\d+$/.test(part));
  const items: string[] = [];
  for (let position = 0; position < parts.length; position += 1) {
    const part = parts[position]!;
    const previous = parts[position - 1];
    if (/^\d+$/.test(part) && previous && ITEM_NAMES[previous])
      items.push(`${ITEM_NAMES[previous]} ${Number(part) + 1}`);
  }
  const tail = parts.slice(lastIndex + 1);
  let own: string | null = null;
  for (let start = 0; start < tail.length && own === null; start += 1)
    own = LABELS[tail.slice(start).join(".")] ?? null;
  if (tail.length === 0) return items.length > 0 ? items.join(" — ") : null;
  if (own === null) return null;
  const owner = tail.length > 2 ? OWNERS[tail.slice(0, 2).join(".")] : undefined;
  return [...items, owner ? `${own} (${owner})` : own].join(" — ");
}
