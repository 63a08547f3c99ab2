/** The customer portal (the debtor's own pages): entry, invoices, second copy, contacts, negotiation. */
export const portal = {
  documentTitle: (page: string, creditor: string) => `${page} — ${creditor}`,
  skipToContent: "Pular para o conteúdo",
  navigationLabel: "Menu do portal",
  nav: {
    home: "Minhas faturas",
    negotiate: "Negociar",
    contacts: "Meus contatos",
    preferences: "Preferências",
    signOut: "Sair",
  },
  footer: (creditor: string, document: string) => `Portal de pagamentos de ${creditor} · CNPJ ${document}`,
  link: {
    invalidTitle: "Link inválido",
    invalidBody:
      "Este link não é válido: ele pode ter sido copiado pela metade ou alterado. Abra de novo o link da mensagem que você recebeu, ou peça um novo link ao atendimento do credor.",
    expiredTitle: "Link expirado",
    expiredBody: (creditor: string) =>
      `Por segurança, os links do portal valem por poucos dias, e este já expirou. Use o link da mensagem mais recente de ${creditor} ou peça um novo link ao atendimento.`,
    sessionEndedTitle: "Sua sessão terminou",
    sessionEndedBody:
      "Por segurança, a sessão termina após alguns minutos sem uso. Abra de novo o link da mensagem que você recebeu para entrar.",
  },
  identity: {
    title: "Confirme sua identidade",
    intro: (creditor: string) =>
      `Para proteger seus dados, confirme que é você antes de ver as faturas de ${creditor}.`,
    label: (document: "cpf" | "cnpj") =>
      document === "cpf" ? "Os 5 primeiros dígitos do seu CPF" : "Os 5 primeiros caracteres do seu CNPJ",
    hint: (document: "cpf" | "cnpj", alphanumeric: boolean) =>
      document === "cpf"
        ? "Somente números, por exemplo: 12345"
        : alphanumeric
          ? "Letras e números, como aparecem no início do CNPJ"
          : "Somente números, por exemplo: 12345",
    submit: "Confirmar",
    wrong: (remaining: number) =>
      `Os caracteres não conferem. Você ainda pode tentar ${remaining} vez(es) antes de um bloqueio temporário.`,
    locked: (minutes: number) =>
      `Muitas tentativas erradas. Por segurança, a entrada está bloqueada; tente de novo em ${minutes} minuto(s).`,
    formExpired: "O formulário expirou. Confira e envie de novo.",
  },
  home: {
    title: "Minhas faturas",
    greeting: (firstName: string) => `Olá, ${firstName}`,
    document: (masked: string) => `Documento ${masked}`,
    none: "Você não tem faturas em aberto. Obrigado!",
    totalToday: (total: string, date: string) => `Total em aberto hoje (${date}): ${total}`,
    columns: {
      invoice: "Fatura",
      dueDate: "Vencimento",
      original: "Valor",
      fine: "Multa",
      interest: "Juros",
      today: "Valor de hoje",
    },
    overdue: (days: number) => (days === 1 ? "vencida há 1 dia" : `vencida há ${days} dias`),
    notDue: "a vencer",
    pay: "Pagar",
    payInvoice: (description: string) => `Pagar ${description}`,
    negotiateCall: "Está difícil pagar tudo de uma vez? Veja as opções de parcelamento.",
    negotiate: "Negociar a dívida",
    agreements: "Meus acordos",
    agreement: (created: string, status: string) => `Acordo de ${created} — ${status}`,
  },
  suspended: {
    title: "Sua conta está suspensa",
    cancelledTitle: "Seu contrato foi cancelado",
    body: "O acesso ao serviço foi suspenso por falta de pagamento. Pague as faturas abaixo para reativá-lo: a liberação acontece assim que o pagamento for confirmado.",
    cancelledBody:
      "O contrato foi cancelado por falta de pagamento. Você ainda pode pagar as faturas abaixo ou negociar a dívida.",
  },
  invoice: {
    title: (description: string) => `Segunda via — ${description}`,
    amountOfDay: (date: string) => `Valor para pagamento hoje (${date})`,
    original: "Valor original",
    paid: "Já pago",
    fine: "Multa",
    interest: "Juros",
    total: "Total a pagar",
    originalDue: (date: string) => `Vencimento original: ${date}`,
    pixTitle: "Pague com Pix",
    pixHelp: "Abra o app do seu banco, escolha Pix copia e cola e cole o código, ou leia o QR Code.",
    pixLabel: "Código Pix copia e cola",
    pixQr: "QR Code do Pix",
    copyPix: "Copiar código Pix",
    boletoTitle: "Pague com boleto",
    lineLabel: "Linha digitável do boleto",
    copyLine: "Copiar linha digitável",
    copied: "Copiado!",
    pdf: "Baixar a segunda via em PDF",
    noDocuments: "Esta fatura ainda não tem boleto nem Pix. Fale com o atendimento do credor.",
    back: "Voltar às faturas",
    notOpen: "Esta fatura não está mais em aberto.",
  },
  contacts: {
    title: "Meus contatos",
    intro:
      "Mantenha seu e-mail e celular atualizados. Enviamos um código para confirmar o novo contato antes de salvá-lo.",
    current: "Contatos cadastrados",
    none: "Nenhum contato cadastrado.",
    channel: { email: "E-mail", sms: "Celular (SMS)", whatsapp: "WhatsApp" } as Record<string, string>,
    verified: "confirmado",
    optedOut: "descadastrado",
    newEmail: "Novo e-mail",
    newPhone: "Novo celular com DDD",
    phoneHint: "Por exemplo: (11) 98765-4321",
    sendCode: (channel: string) => `Enviar código para o novo ${channel}`,
    codeSent: (masked: string) => `Enviamos um código de 6 dígitos para ${masked}. Ele vale por 10 minutos.`,
    codeLabel: "Código recebido",
    confirm: "Confirmar e salvar",
    saved: (masked: string) => `Pronto: ${masked} foi confirmado e salvo.`,
  },
  preferences: {
    title: "Preferências de contato",
    intro:
      "Escolha por quais canais aceita receber lembretes de cobrança. O descadastro vale na hora (LGPD). Mesmo sem lembretes, você pode consultar e pagar suas faturas aqui.",
    receiving: "Você recebe mensagens por este canal.",
    notReceiving: "Você não recebe mensagens por este canal.",
    noContact: "Nenhum contato cadastrado neste canal.",
    stop: (channel: string) => `Não quero mais receber por ${channel}`,
    resume: (channel: string) => `Voltar a receber por ${channel}`,
    savedOut: (channel: string) => `Pronto: você não receberá mais mensagens por ${channel}.`,
    savedIn: (channel: string) => `Pronto: você voltará a receber mensagens por ${channel}.`,
  },
  negotiate: {
    title: "Negociar a dívida",
    intro: "Escolha uma das opções abaixo. Os valores já incluem os descontos que o credor oferece hoje.",
    debt: (total: string) => `Dívida atualizada hoje: ${total}`,
    none: "Não há faturas vencidas para negociar agora.",
    unavailable: "A negociação pelo portal não está disponível no momento. Fale com o atendimento do credor.",
    atOnce: "À vista",
    /** `last` when the last installment differs (the rounding cents): said, not hidden. */
    installments: (count: number, amount: string, last?: string) =>
      last ? `${count}x de ${amount} (última ${last})` : `${count}x de ${amount}`,
    withDown: (down: string) => `entrada de ${down}`,
    total: (total: string) => `Total: ${total}`,
    discount: (amount: string) => `Desconto: ${amount}`,
    firstDue: (date: string) => `Primeiro pagamento em ${date}`,
    singleDue: (date: string) => `Pagamento em ${date}`,
    choose: "Escolher esta opção",
    accept: "Aceitar o acordo",
    terms:
      "Ao aceitar, as faturas negociadas são substituídas pelas parcelas do acordo. Se uma parcela ficar sem pagamento, o acordo pode ser desfeito e a dívida original volta a valer.",
  },
  agreement: {
    title: "Meu acordo",
    status: {
      proposed: "aguardando o primeiro pagamento",
      active: "em dia",
      completed: "quitado",
      lapsed: "expirado: o primeiro pagamento não foi feito",
      broken: "desfeito",
      cancelled: "cancelado",
    } as Record<string, string>,
    created: "Acordo criado! Pague a primeira parcela para ativá-lo.",
    installment: (number: number) => (number === 0 ? "Entrada" : `Parcela ${number}`),
    installmentStatus: { open: "em aberto", paid: "paga", cancelled: "cancelada" } as Record<string, string>,
    due: (date: string) => `vence em ${date}`,
    pay: "Pagar",
    google: "Adicionar ao Google Agenda",
    outlook: "Adicionar ao Outlook",
    ics: "Baixar todas as parcelas para a agenda (.ics)",
    total: (total: string) => `Total do acordo: ${total}`,
  },
  errors: {
    notFoundTitle: "Página não encontrada",
    notFoundBody: "Não encontramos o que você procurou.",
    failedTitle: "Algo deu errado",
    failedBody: "Não conseguimos concluir o pedido. Tente de novo em instantes.",
    back: "Voltar ao início",
  },
} as const;
