/** The dashboard's sign-in (POST /v1/session): what an operator reads when it is refused. */
export const signIn = {
  wrong: "Credor, e-mail ou senha incorretos",
  locked: (minutes: number) =>
    `Muitas tentativas erradas. Por segurança, a entrada está bloqueada; tente de novo em ${minutes} minuto(s).`,
};
