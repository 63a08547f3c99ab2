/**
 * Texts of the contact rules (who may be contacted: src/modules/contact-eligibility) and of
 * template names in a régua (src/modules/templates/template-names.ts): the reasons operators read
 * on skipped messages and on a refused policy.
 */
const CHANNEL_LABEL = { email: "e-mail", sms: "SMS", whatsapp: "WhatsApp" } as const;

export const contactRules = {
  skip: {
    optedOut: (channel: keyof typeof CHANNEL_LABEL) => `cliente descadastrado do ${CHANNEL_LABEL[channel]}`,
    noContact: (channel: keyof typeof CHANNEL_LABEL) =>
      channel === "whatsapp"
        ? "sem WhatsApp com opt-in do cliente"
        : `sem ${CHANNEL_LABEL[channel]} utilizável`,
  },
  templates: {
    unknown: (name: string, example: string) =>
      `modelo "${name}" desconhecido (ex.: ${example}): não é um modelo padrão nem um modelo salvo por este credor; salve-o antes (regua templates save ${name} ou PUT /v1/templates/${name})`,
  },
};
