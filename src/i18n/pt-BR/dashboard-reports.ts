/**
 * Reports: titles, column headings (the same in the page, the CSV and the XLSX) and the reports
 * page's own text.
 */
export const dashboardReports = {
  pageTitle: "Relatórios",
  periodReversed: (from: string, to: string) =>
    `${from} é depois de ${to}, o fim do período; escolha um início até o fim`,
  intro: "Escolha um relatório, ajuste o período e os filtros e exporte para CSV ou Excel.",
  reports: {
    summary: {
      title: "Resumo por mês",
      description:
        "Faturado (por vencimento), pago e recuperado (por data do pagamento) e em atraso hoje, mês a mês.",
    },
    detailed: {
      title: "Composição das cobranças",
      description:
        "Cada fatura com vencimento no período: principal, multa, juros e descontos — do dia para as abertas, como pagas para as pagas.",
    },
    oldest: {
      title: "Cobranças mais antigas",
      description: "Faturas em aberto e vencidas, da mais antiga para a mais recente, com a faixa de atraso.",
    },
    recovery: {
      title: "Recuperação",
      description:
        "Mensagens enviadas no período e o que recuperaram: cada pagamento feito até N dias depois de uma mensagem vai para a última mensagem enviada antes dele. Taxa = recuperado ÷ o que as faturas deviam quando receberam a primeira mensagem do grupo.",
    },
    "message-costs": {
      title: "Custo das mensagens",
      description: "Mensagens enviadas e seu custo, por mês, canal e provedor.",
    },
    "agreement-breaks": {
      title: "Quebra de acordos",
      description:
        "Acordos ativados no período por mês: quantos foram quebrados, concluídos ou seguem ativos.",
    },
  } as Record<string, { title: string; description: string }>,
  columns: {
    period: "Mês",
    billedCount: "Faturas emitidas",
    billedCents: "Faturado",
    paidCents: "Pago",
    recoveredCents: "Recuperado",
    overdueCount: "Faturas em atraso",
    overdueCents: "Em atraso hoje",
    invoice: "Fatura",
    customer: "Cliente",
    description: "Descrição",
    dueDate: "Vencimento",
    status: "Situação",
    principalCents: "Principal",
    fineCents: "Multa",
    interestCents: "Juros",
    discountCents: "Descontos",
    totalCents: "Total",
    asOf: "Valores de",
    daysOverdue: "Dias de atraso",
    aging: "Faixa de atraso",
    outstandingCents: "Em aberto (principal)",
    balanceCents: "Saldo devedor hoje",
    step: "Passo",
    channel: "Canal",
    channelLabel: "Canal",
    messages: "Mensagens enviadas",
    payments: "Pagamentos atribuídos",
    recoveredPaymentsCents: "Valor recuperado",
    provider: "Provedor",
    providerLabel: "Provedor",
    segments: "Partes de SMS",
    costCents: "Custo",
    activated: "Acordos ativados",
    broken: "Quebrados",
    completed: "Concluídos",
    active: "Ativos",
    breakRate: "Taxa de quebra",
    segmentLabel: "Segmento",
    policyName: "Régua",
    bandLabel: "Faixa de score",
    phaseLabel: "Fase",
    clicks: "Cliques",
    opens: "Aberturas",
    invoices: "Faturas",
    dueCents: "Devido ao receber a mensagem",
    recoveryRate: "Taxa de recuperação",
    medianDaysToPay: "Mediana de dias até pagar",
    costPerRecovered: "Custo ÷ recuperado",
  } as Record<string, string>,
  /** an invoice's situation in the detailed report; `covered`: an agreement in force replaces it */
  statuses: { open: "em aberto", paid: "paga", renegotiated: "renegociada", covered: "em acordo" } as Record<
    string,
    string
  >,
  /** The recovery report's groupings (groupBy) and the names of their values. */
  recoveryGroups: {
    segment: "Segmento",
    policy: "Régua",
    step: "Passo",
    channel: "Canal",
    band: "Faixa de score",
    phase: "Antes × depois do vencimento",
  } as Record<string, string>,
  segments: { person: "Pessoa física", company: "Pessoa jurídica" } as Record<string, string>,
  bands: { low: "Baixa", medium: "Média", high: "Alta", unscored: "Sem score" } as Record<string, string>,
  phases: { pre_due: "Antes do vencimento", post_due: "Depois do vencimento" } as Record<string, string>,
  channels: {
    email: "E-mail",
    sms: "SMS",
    whatsapp: "WhatsApp",
    letter: "Carta",
    task: "Tarefa",
    webhook: "Webhook",
  } as Record<string, string>,
  /** Message providers by their code (messages.provider); an unknown code is shown as it is. */
  providers: {
    smtp: "SMTP",
    zenvia: "Zenvia",
    twilio: "Twilio",
    "whatsapp-cloud": "WhatsApp Cloud",
    capture: "captura (demonstração)",
    letter: "carta impressa",
    task: "tarefa",
    "": "—",
  } as Record<string, string>,
  total: "Total",
  filters: {
    legend: "Filtros",
    report: "Relatório",
    from: "De",
    to: "Até",
    group: "Grupo",
    anyGroup: "Todos os grupos",
    tag: "Etiqueta",
    tagHint: "Só clientes com esta etiqueta",
    days: "Janela de atribuição (dias)",
    groupBy: "Agrupar por",
    apply: "Atualizar",
  },
  export: {
    legend: "Exportar",
    csv: "Baixar CSV",
    xlsx: "Baixar Excel (XLSX)",
    panelPdf: "Painel em PDF",
    inBackground: "Exportar Excel em segundo plano",
    exported: (rows: number) => `Relatório exportado: ${rows} linhas.`,
  },
  empty: "Nenhuma linha para estes filtros.",
  tableCaption: (title: string, from: string, to: string) => `${title}, de ${from} a ${to}`,
  panelPdf: {
    title: "Painel de inadimplência",
    generatedAt: (when: string) => `Gerado em ${when}`,
  },
} as const;
