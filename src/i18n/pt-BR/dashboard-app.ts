/** The dashboard's shell: sign-in page, navigation, session and the API client's errors. */
export const dashboardApp = {
  productName: "Régua",
  documentTitle: (page: string) => `${page} — Régua`,
  skipToContent: "Pular para o conteúdo",
  navigationLabel: "Seções do painel",
  signedInAs: (name: string, role: string) => `${name} (${role})`,
  roles: { admin: "administrador", analyst: "analista", viewer: "leitura" } as Record<string, string>,
  signOut: "Sair",
  loading: "Carregando…",
  notFoundTitle: "Página não encontrada",
  notFoundBody: "Este endereço não existe no painel.",
  backHome: "Voltar ao início",
  login: {
    title: "Entrar no painel",
    intro: "Use o e-mail e a senha de operador que o administrador do credor criou para você.",
    tenant: "Credor (slug)",
    tenantHint: "O identificador curto do credor, por exemplo: demo",
    email: "E-mail",
    password: "Senha",
    submit: "Entrar",
    submitting: "Entrando…",
    failed: "Não foi possível entrar",
  },
  /** The figures came from the read replica, this many whole seconds behind (shown from 1 s). */
  replicaLag: (seconds: number) =>
    `Dados de há ${seconds} s: esta leitura vem de uma réplica; o que mudou nesse intervalo ainda não aparece.`,
  /** A budgeted catch-up left customers out of a rollup's figures (the worker adds them in a minute). */
  rollupPending: (customers: number) =>
    `Números em atualização: as alterações de ${customers.toLocaleString("pt-BR")} ${customers === 1 ? "cliente" : "clientes"} ainda não estão somadas; recarregue em instantes.`,
  errors: {
    network: "Sem conexão com o servidor; tente de novo em instantes.",
    sessionExpired: "Sua sessão terminou; entre de novo.",
    unexpected: (status: number) => `Erro inesperado do servidor (HTTP ${status}).`,
  },
} as const;
