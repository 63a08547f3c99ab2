/** What the API and the health checks say while the database is out of reach (issue 14). */
export const faults = {
  databaseUnavailable: (retryAfterSeconds: number) =>
    `Banco de dados indisponível no momento; tente de novo em ${retryAfterSeconds} segundos`,
  health: {
    live: "processo no ar",
    ready: "pronto: banco de dados acessível e migrações aplicadas",
    databaseUnreachable: "banco de dados inacessível",
    migrationsPending: (pending: string[]) => `migrações pendentes: ${pending.join(", ")}`,
  },
  metrics: {
    forbidden:
      "Métricas só para esta máquina ou com o token de REGUA_METRICS_TOKEN (Authorization: Bearer …)",
  },
} as const;
