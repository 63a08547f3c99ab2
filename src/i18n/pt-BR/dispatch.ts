/** Why a message is waiting or gave up, as the team reads it beside the message (messages.reason). */
export const dispatchReasons = {
  databaseBeforeSend: "banco de dados inacessível antes do envio; vai de novo em seguida",
  leaseRunningOut: "a reserva deste envio venceu sem renovação; vai de novo em seguida",
  gaveUp: (failure: string, attempts: number) => `${failure} (desistimos após ${attempts} tentativas)`,
  windowClosed: (failure: string) => `${failure} (a janela de envio terminou antes da próxima tentativa)`,
  retrying: (failure: string, attempts: number) => `tentativa ${attempts}: ${failure}`,
} as const;
