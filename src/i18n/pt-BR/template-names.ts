/**
 * A message template as an operator reads it ("E-mail 12 dias após o vencimento"), never its code
 * (`email.d+12`). Régua's own templates follow `<canal>.<momento>`; a creditor's template with a
 * name of its own is shown by that name.
 */
const CHANNELS: Record<string, string> = {
  email: "E-mail",
  sms: "SMS",
  whatsapp: "WhatsApp",
  letter: "Carta",
  task: "Tarefa",
};

const NAMED: Record<string, string> = {
  "negotiation-offer": "proposta de negociação",
  negotiation: "de negociação",
  "pix-automatico-encerrado": "Pix Automático encerrado",
};

function moment(days: number, of: string): string {
  if (days === 0) return `no dia do ${of}`;
  const count = Math.abs(days) === 1 ? "1 dia" : `${Math.abs(days)} dias`;
  return days < 0 ? `${count} antes do ${of}` : `${count} após o ${of}`;
}

export function templateTitle(name: string): string {
  const dot = name.indexOf(".");
  const channel = CHANNELS[name.slice(0, dot)];
  if (dot < 0 || !channel) return name;
  const rest = name.slice(dot + 1);
  const offset = /^(agreement-)?d([+-]?\d+)$/.exec(rest);
  if (offset) {
    const days = Number(offset[2]);
    return `${channel} ${moment(days, offset[1] ? "vencimento da parcela do acordo" : "vencimento")}`;
  }
  const named = NAMED[rest];
  if (!named) return name;
  return named.startsWith("de ") ? `${channel} ${named}` : `${channel}: ${named}`;
}
