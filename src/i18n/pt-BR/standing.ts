/**
 * What a debtor reads about their standing and what they owe today outside the portal: the login
 * banner of the creditor's app (`/embed/standing.js`, `GET /v1/customers/{id}/standing`), and what
 * an operator reads when reopening a cancelled customer.
 */
export const standing = {
  banner: {
    ok: "Sua conta está em dia.",
    okWithOverdue: (total: string, days: number) =>
      `Você tem ${total} em aberto, vencido há ${days} dia(s). Pague para manter o acesso em dia.`,
    warning: (total: string, days: number, left: number) =>
      `Há ${total} a pagar hoje, em atraso há ${days} dia(s). Regularize em até ${left} dia(s) para evitar o bloqueio do acesso.`,
    suspended: (total: string, days: number) =>
      `Acesso bloqueado por falta de pagamento (${days} dias de atraso). Pague ${total} para liberar.`,
    cancelled: (total: string) =>
      `Contrato cancelado por falta de pagamento. Ainda é possível pagar os ${total} em aberto; fale com o atendimento.`,
    totalToday: "Total a pagar hoje",
    dueOn: "vencimento",
    payUntil: "pague até",
    copyBoleto: "Copiar linha digitável do boleto",
    copyPix: "Copiar código Pix (copia e cola)",
    copied: "Copiado!",
    printSecondCopy: "Imprimir segunda via (PDF)",
    qrAlt: "QR Code Pix",
  },
  reopen: {
    title: "Reabrir cliente cancelado",
    intro: "O cliente volta a ficar em dia e os prazos da régua passam a contar de hoje.",
    reasonLabel: "Motivo da reabertura",
    submit: "Reabrir cliente",
    done: "Cliente reaberto: situação em dia.",
    reason: (reason: string) => `reaberto pelo operador: ${reason}`,
    notCancelled: "o cliente não está cancelado; só um cliente cancelado pode ser reaberto",
    reasonRequired: "informe o motivo da reabertura",
  },
};

/**
 * The one word for each standing, on every page, list, report and export: an operator must never
 * read "Aviso" in one place and "Em alerta" in another for the same customer.
 */
export const standingNames: Record<string, string> = {
  ok: "Em dia",
  warning: "Em aviso",
  suspended: "Suspenso",
  cancelled: "Cancelado",
};
