/**
 * Background jobs (letters, batch sends, report exports): what the dashboard's progress bar says
 * and why an item of a job was left out.
 */
export const jobs = {
  kinds: {
    letters: "Cartas",
    batch_send: "Envio em lote",
    report_export: "Exportação de relatório",
  } as Record<string, string>,
  states: {
    queued: "Na fila",
    running: "Em andamento",
    done: "Concluído",
    failed: "Falhou",
  } as Record<string, string>,
  progress: (kind: string, done: number, total: number) => `${kind}: ${done} de ${total}`,
  fileProgress: (done: number, total: number) => `arquivo: ${done} de ${total}`,
  download: "Baixar o arquivo",
  errorsTitle: (count: number) => (count === 1 ? "1 item não processado" : `${count} itens não processados`),
  submitting: "Enviando…",
  itemErrors: {
    noOverdueInvoice: "nenhuma fatura vencida: nenhuma carta para este cliente",
    noMatchingInvoice: "nenhuma fatura no filtro escolhido: nada a enviar",
    unreachable: "sem contato utilizável neste canal: a mensagem não será enviada",
    notIssued: "a carta não pôde ser emitida",
  },
  failed: "O trabalho falhou; tente de novo ou fale com o suporte.",
  selectAllMatching: (count: number) => `Selecionar todos os ${count} clientes do filtro`,
  allMatchingSelected: (count: number) => `Todos os ${count} clientes do filtro estão selecionados.`,
  tooManyToSelect: (max: number) =>
    `Mais de ${max} clientes no filtro: refine o filtro para selecionar todos (no máximo ${max}).`,
  clearSelection: "Limpar a seleção",
} as const;
