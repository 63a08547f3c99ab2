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
