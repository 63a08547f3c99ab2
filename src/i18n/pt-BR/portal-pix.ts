/** The portal's Pix Automático page (src/portal/pix-automatico.routes.ts). */
export const portalPix = {
  navLabel: "Pix Automático",
  title: "Pix Automático",
  intro:
    "Autorize o débito automático das suas faturas pelo Pix: o valor de cada fatura é debitado na data de vencimento, e você pode cancelar quando quiser pelo app do seu banco.",
  unavailable: "Este credor ainda não oferece Pix Automático.",
  noContracts: "Você não tem contratos ativos para autorizar.",
  contract: (plan: string, externalId: string) => `Contrato ${plan} (${externalId})`,
  authorise: "Autorizar pelo QR Code",
  payThenAuthorise: "Pagar a próxima fatura e autorizar",
  status: {
    CRIADA: "Aguardando a sua autorização no app do banco",
    APROVADA: "Autorizado: as faturas serão debitadas no vencimento",
    REJEITADA: "Autorização recusada",
    EXPIRADA: "Autorização expirada",
    CANCELADA: "Autorização cancelada",
  } as Record<string, string>,
  ended:
    "A autorização anterior foi encerrada; continue pagando pelo boleto ou pelo Pix de cada fatura, ou autorize de novo.",
  scanTitle: "Leia o QR Code no app do seu banco",
  scanHelp:
    "Abra o app do seu banco, escolha Pix e leia o QR Code ou cole o código abaixo. Confira o credor e confirme a autorização.",
  payThenAuthoriseHelp:
    "Ao pagar este QR Code você quita a próxima fatura e autoriza o Pix Automático para as seguintes.",
  copyLabel: "Pix Automático copia e cola",
  copyButton: "Copiar código",
  back: "Voltar ao Pix Automático",
  noQr: "O banco do credor ainda não liberou o QR Code. Tente de novo em alguns minutos.",
};
