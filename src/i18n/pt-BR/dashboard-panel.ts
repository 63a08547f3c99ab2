/** The delinquency panel (painel de inadimplência). */
export const dashboardPanel = {
  navLabel: "Painel",
  title: "Painel de inadimplência",
  asOf: (date: string) => `Posição de ${date}. Valores em aberto sem multa e juros.`,
  tiles: {
    overdue: "Total vencido",
    delinquent: "Inadimplência (mais de 5 dias)",
    smallDelays: "Atrasos pequenos (até 5 dias)",
    /** With the numbers themselves for the plural, and how to write them. */
    invoicesAndCustomers: (invoices: number, customers: number, format: (value: number) => string) =>
      `${format(invoices)} ${invoices === 1 ? "fatura" : "faturas"} · ${format(customers)} ${customers === 1 ? "cliente" : "clientes"}`,
    seeCustomers: "Ver clientes",
    // the accessible names begin with the visible text ("Ver clientes"), as WCAG 2.5.3 asks
    customersOf: (tile: string) => `Ver clientes: ${tile}`,
  },
  aging: {
    title: "Faixas de atraso",
    caption: "Valores vencidos por faixa de dias de atraso",
    phase: "Faixa",
    amount: "Valor",
    invoices: "Faturas",
    share: "Parcela do vencido",
    customers: "Clientes (pelo atraso mais antigo)",
    customersOf: (phase: string) => `Ver clientes cuja fatura vencida mais antiga tem ${phase} de atraso`,
    labels: {
      "1-5": "1 a 5 dias",
      "6-15": "6 a 15 dias",
      "16-30": "16 a 30 dias",
      "31-60": "31 a 60 dias",
      "61-90": "61 a 90 dias",
      "90+": "Mais de 90 dias",
    } as Record<string, string>,
  },
  recovery: {
    title: "Recuperação por canal",
    explanation: (days: number) =>
      `Pagamentos de faturas já vencidas, por semana. Cada pagamento conta para o canal da última mensagem enviada sobre a fatura nos ${days} dias anteriores; sem mensagem nesse prazo, conta como "sem mensagem".`,
    chartTitle: "Valor recuperado por semana e canal",
    chartDescription: (total: string, weeks: number) => `Total de ${total} nas últimas ${weeks} semanas.`,
    tableCaption: "Valor recuperado por semana e canal (tabela)",
    week: "Semana",
    total: "Total",
    payments: "Pagamentos",
    weekLabel: (start: string, end: string) => `${start} a ${end}`,
    channels: {
      email: "E-mail",
      sms: "SMS",
      whatsapp: "WhatsApp",
      letter: "Carta",
      task: "Ligação (tarefa)",
      none: "Sem mensagem",
    } as Record<string, string>,
    showTable: "Ver os números em tabela",
  },
  /** The tile of what the régua recovered this month (the recovery report's total since the 1st). */
  recoveredThisMonth: {
    label: "Recuperado pela régua no mês",
    rate: (rate: string) => `taxa de recuperação ${rate}`,
    noRate: "nenhuma mensagem enviada no mês",
    detail: (from: string) =>
      `pagamentos até 7 dias depois das mensagens enviadas desde ${from}, sobre o que as faturas deviam`,
    report: "Ver o relatório de recuperação",
    /** the recovery rollup's refresh ran out of its budget: the figure will still grow */
    pending: (customers: number) =>
      `em atualização: ${customers.toLocaleString("pt-BR")} ${customers === 1 ? "cliente pendente" : "clientes pendentes"}`,
  },
  agreements: {
    title: "Acordos",
    active: "Acordos ativos",
    activeAmount: (amount: string) => `${amount} em acordos ativos`,
    proposed: "Propostos (aguardando entrada)",
    brokenRate: "Taxa de quebra",
    brokenDetail: (broken: string, completed: string) => `${broken} quebrados · ${completed} concluídos`,
    noRate: "sem acordos encerrados ou ativos",
  },
} as const;
