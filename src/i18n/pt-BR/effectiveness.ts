import type { ScoreFeature } from "../../domain/payment-model.ts";

/** Effectiveness: payment scores, their reasons, experiments and the simulator's report. */
export const effectiveness = {
  /** What each feature is, and what it did to this score (raised or lowered the chance). */
  features: {
    days_overdue: {
      label: "dias em atraso",
      up: "fatura recente ou ainda a vencer",
      down: "muitos dias em atraso",
    },
    log_amount: { label: "valor da fatura", up: "valor baixo", down: "valor alto" },
    prior_invoices: {
      label: "faturas anteriores",
      up: "cliente com longo histórico",
      down: "cliente com pouco histórico",
    },
    late_share: {
      label: "proporção de faturas pagas com atraso",
      up: "costuma pagar em dia",
      down: "costuma pagar com atraso",
    },
    avg_days_late: {
      label: "atraso médio dos pagamentos",
      up: "atrasos curtos quando atrasa",
      down: "atrasos longos quando atrasa",
    },
    overdue_invoices: {
      label: "faturas vencidas do cliente (esta incluída)",
      up: "poucas faturas vencidas",
      down: "várias faturas vencidas",
    },
    agreements_broken: {
      label: "acordos quebrados",
      up: "nenhum acordo quebrado",
      down: "já quebrou acordos",
    },
    agreements_kept: { label: "acordos cumpridos", up: "já cumpriu acordos", down: "nenhum acordo cumprido" },
    usable_contacts: {
      label: "contatos utilizáveis",
      up: "bons contatos para lembretes",
      down: "poucos contatos utilizáveis",
    },
    messages_delivered: {
      label: "mensagens entregues (90 dias)",
      up: "mensagens chegando ao cliente",
      down: "poucas mensagens entregues",
    },
    messages_clicked: {
      label: "cliques em mensagens (90 dias)",
      up: "clicou nas mensagens",
      down: "não clicou nas mensagens",
    },
    messages_opened: {
      label: "aberturas de e-mails (90 dias)",
      up: "abriu os e-mails",
      down: "não abriu os e-mails",
    },
    standing: { label: "situação do cliente", up: "situação regular", down: "cliente em aviso ou suspenso" },
    company: {
      label: "pessoa jurídica",
      up: "perfil do cliente (PF/PJ) favorável",
      down: "perfil do cliente (PF/PJ) desfavorável",
    },
  } satisfies Record<ScoreFeature, { label: string; up: string; down: string }>,
  bands: { low: "baixa", medium: "média", high: "alta" } as Record<string, string>,
  modelKind: {
    prior: "modelo inicial (sem histórico suficiente)",
    trained: "modelo treinado no histórico do credor",
  },
  notEnoughHistory: (examples: number, minimum: number) =>
    `histórico insuficiente: ${examples} exemplos (mínimo ${minimum}); o credor segue com o modelo inicial`,
  invoiceNotOpen: "a fatura não está em aberto; não há probabilidade a calcular",
} as const;

/** The pt-BR text of a stored reason code ('+late_share' → "costuma pagar em dia"). */
export function reasonText(code: string): string {
  const feature = code.slice(1) as ScoreFeature;
  const entry = effectiveness.features[feature];
  if (!entry) return code;
  return code.startsWith("+") ? entry.up : entry.down;
}

/** Experiments: the notes beside each comparison. */
export const experimentsText = {
  notEnough: (have: number, need: number) =>
    `faltam ${need - have} faturas no menor grupo (tem ${have}) para detectar 5 pontos percentuais com 80% de poder: são precisas cerca de ${need} por grupo`,
  enough: (need: number) =>
    `amostra suficiente para detectar 5 pontos percentuais com 80% de poder (cerca de ${need} faturas por grupo)`,
  policyNotFound: (field: string) => `${field}: régua não encontrada neste credor`,
  alreadyStopped: "o experimento já foi encerrado",
} as const;
