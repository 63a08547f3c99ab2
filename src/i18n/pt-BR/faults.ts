/** What the API says when it refuses a call outright, and the health checks while the database is out of reach. */
export const faults = {
  databaseUnavailable: (retryAfterSeconds: number) =>
    `Banco de dados indisponível no momento; tente de novo em ${retryAfterSeconds} segundos`,
  health: {
    live: "processo no ar",
    ready: "pronto: banco de dados acessível e migrações aplicadas",
    databaseUnreachable: "banco de dados inacessível",
    migrationsPending: (pending: string[]) => `migrações pendentes: ${pending.join(", ")}`,
  },
  /** A route the caller may not use: an operator reads it by role, a program by its key's scope. */
  forbidden: {
    operator: (role: string) =>
      `Seu papel de operador (${role}) não permite esta ação; peça a um administrador do credor.`,
    apiKey: "Esta chave de API não permite esta operação: o escopo dela não inclui esta rota.",
  },
  metrics: {
    forbidden:
      "Métricas só para esta máquina ou com o token de REGUA_METRICS_TOKEN (Authorization: Bearer …)",
  },
} as const;
