/** Why the régua did not send a planned message, by the code recorded on the action (skip_reason). */
export const SKIP_REASONS: Record<string, string> = {
  moment_passed: "lembrete fora de hora: o vencimento já chegou",
  paused: "cliente em pausa",
  disputed: "fatura contestada",
  opted_out: "cliente descadastrado deste canal",
  no_contact: "sem contato utilizável neste canal",
  no_address: "sem endereço para carta",
  frequency_cap: "limite de mensagens por cliente atingido",
  paid: "fatura paga: a régua parou",
  experiment_holdout: "cliente no grupo de controle (holdout) de um experimento",
};
