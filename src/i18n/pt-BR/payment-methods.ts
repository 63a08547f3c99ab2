/** How a contract is paid, as the debtor and the analyst read it (portal and dashboard alike). */
export const paymentMethodLabels: Record<string, string> = {
  boleto: "Boleto",
  pix: "Pix",
  pix_automatico: "Pix Automático",
};
