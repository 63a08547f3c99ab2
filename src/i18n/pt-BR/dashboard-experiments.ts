/**
 * The experiments pages of the dashboard: the list, one experiment's results (arms, uplift with its
 * interval, the sample-size note) and the form that starts one.
 */
export const dashboardExperiments = {
  nav: "Experimentos",
  title: "Experimentos",
  intro:
    "Compare a régua em vigor com outra régua (A/B) e/ou com um grupo que não recebe mensagens (holdout). Cada cliente é sorteado uma vez para um grupo, e o sorteio fica registrado.",
  caption: "Experimentos, mais novos primeiro",
  empty: "Nenhum experimento ainda.",
  columns: {
    name: "Nome",
    status: "Situação",
    control: "Régua de controle",
    variant: "Variante",
    holdout: "Holdout",
    started: "Início",
    stopped: "Encerramento",
  },
  status: { running: "Em andamento", stopped: "Encerrado" } as Record<string, string>,
  noVariant: "—",
  unknownPolicy: "régua removida",
  back: "Voltar aos experimentos",
  summary: (started: string, horizon: number) =>
    `Iniciado em ${started}; conta faturas vencidas desde então cujo prazo de ${horizon} dias já passou.`,
  measuredUntil: (day: string) => `Medido até ${day}.`,
  armsTitle: "Grupos",
  armsCaption: "Recuperação por grupo",
  arms: { control: "Controle", variant: "Variante", holdout: "Holdout (sem mensagens)" } as Record<
    string,
    string
  >,
  armColumns: {
    arm: "Grupo",
    customers: "Clientes",
    invoices: "Faturas medidas",
    recovered: "Recuperadas",
    rate: "Taxa de recuperação",
    amount: "Valor recuperado",
    messages: "Mensagens",
    cost: "Custo das mensagens",
  },
  noArms: "Ainda não há faturas medidas.",
  upliftTitle: "Ganho (uplift)",
  comparisons: {
    variant_vs_control: "Variante contra controle",
    control_vs_holdout: "Régua contra nenhuma mensagem (o que a régua rende)",
  } as Record<string, string>,
  noComparison: "Sem comparação: falta um dos grupos.",
  rateLabel: "Na taxa de recuperação",
  amountLabel: "No valor recuperado por fatura",
  interval: (low: string, high: string) => `IC 95%: ${low} a ${high}`,
  pValue: (value: string) => (value.startsWith("<") ? `p ${value}` : `p = ${value}`),
  significant: "diferença significativa",
  notSignificant: "sem diferença significativa",
  sampleTitle: "Tamanho da amostra",
  stop: "Encerrar experimento",
  confirmStop: (name: string) =>
    `Encerrar "${name}"? Todos voltam à régua de controle no próximo planejamento e os resultados ficam congelados hoje.`,
  stopped: "Experimento encerrado.",
  newTitle: "Novo experimento",
  fieldName: "Nome",
  fieldControl: "Régua de controle (A)",
  fieldVariant: "Régua variante (B)",
  noVariantOption: "nenhuma (só holdout)",
  fieldHoldout: "Holdout (% dos clientes sem mensagens, de 0 a 50)",
  fieldHorizon: "Prazo para pagar (dias após o vencimento)",
  variantHint:
    "Para variar um passo (canal, dia ou modelo), copie a régua com o passo mudado e deixe-a inativa.",
  create: "Iniciar experimento",
  created: (name: string, assigned: number) =>
    `Experimento "${name}" iniciado com ${assigned} clientes sorteados.`,
  numberNeeded: (field: string) => `${field}: informe um número`,
} as const;
