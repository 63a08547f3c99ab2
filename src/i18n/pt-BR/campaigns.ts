/**
 * Campaigns for aged debt: the API's and the dashboard's errors and labels, the portal's offer page,
 * and the summary of an offer that messages carry.
 */
export const campaignsText = {
  // errors beside each field, with its human label
  name: "Nome: dê um nome à campanha (até 100 caracteres)",
  days: "Dias de atraso: use um número inteiro de dias, a partir de 1",
  daysRange: "Dias de atraso (até): deve ser maior ou igual ao início da faixa",
  cents: "Valor: use centavos inteiros, zero ou mais",
  amountRange: "Valor da dívida (até): deve ser maior ou igual ao início da faixa",
  band: "Faixa de score: use baixa (low), média (medium) ou alta (high)",
  group: "Grupo: escolha um grupo existente",
  groupNotFound: "Grupo: grupo não encontrado neste credor",
  installments: "Parcelas: use 0 (à vista) ou de 1 a 48 parcelas",
  channels: "Canais: escolha ao menos um entre e-mail, SMS e WhatsApp",
  holdout: "Grupo de controle (holdout): use de 0 a 50%",
  validUntilPast: (today: string) => `Válida até: escolha uma data depois de hoje (${today})`,
  validUntilFar: (last: string) => `Válida até: no máximo 60 dias à frente (${last})`,
  nothingMatched: "Seleção: nenhuma dívida vencida atende a esses critérios",
  /** a term the author's agreement limits refuse, named by the form's label */
  termLabels: {
    principalDiscountBps: "Desconto sobre o principal",
    waiveFine: "Dispensar a multa",
    waiveInterest: "Dispensar os juros",
    installments: "Parcelas",
    downPaymentCents: "Parcelas",
    monthlyInterestBps: "Parcelas",
    invoiceIds: "Seleção",
    firstDueDate: "Parcelas",
  } as Record<string, string>,
  limitRefused: (label: string, reason: string) => `${label}: ${reason}`,
  notFound: (id: string) => `campanha ${id} não encontrada`,
  enough: (need: number) =>
    `amostra suficiente para detectar 5 pontos percentuais com 80% de poder (cerca de ${need} clientes por grupo)`,
  notEnough: (have: number, need: number) =>
    `faltam ${need - have} clientes no menor grupo (tem ${have}) para detectar 5 pontos percentuais com 80% de poder: são precisos cerca de ${need} por grupo`,
  // what an offer says, in messages and on the portal
  summary: (installments: number, discountPercent: string | null, waived: boolean) =>
    [
      installments === 0 ? "pagamento à vista" : `parcelamento em até ${installments}x`,
      discountPercent ? `${discountPercent} de desconto sobre o valor principal` : null,
      waived ? "sem multa e juros" : null,
    ]
      .filter(Boolean)
      .join(", "),
  portal: {
    title: "Oferta especial para quitar sua dívida",
    intro: (summary: string, until: string) =>
      `Preparamos uma condição especial para você: ${summary}. A oferta vale até ${until}.`,
    expired: (until: string) => `Esta oferta era válida até ${until} e não está mais disponível.`,
    unavailable:
      "Esta oferta não está mais disponível (as faturas foram pagas ou já fazem parte de um acordo). Veja outras opções em Negociar.",
    accepted: "Você já aceitou esta oferta.",
    seeAgreement: "Ver o acordo",
    notFound: "Oferta não encontrada",
  },
} as const;
