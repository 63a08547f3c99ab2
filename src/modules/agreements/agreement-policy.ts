import type { TPolicy } from "../policies/policy.ts";

export const AGREEMENT_POLICY_NAME = "Régua de acordos";

/**
 * The régua of installment invoices, given to a tenant on its first agreement (see
 * ensureAgreementPolicy): SMS with the portal link on D-3 of each installment, e-mail on the due
 * day, WhatsApp on D+1 (SMS to whoever has no WhatsApp), and on D+3 a warning by e-mail and SMS that
 * the agreement is about to break. It governs only installment invoices: the planner picks it for
 * them and leaves it out of the ordinary matching. Standing thresholds follow the default régua.
 */
export const AGREEMENT_POLICY: TPolicy = {
  name: AGREEMENT_POLICY_NAME,
  description: "Régua das parcelas de acordos: lembrete, vencimento, atraso e aviso de quebra.",
  priority: 10_000,
  standing: { warningDays: 5, suspendedDays: 20, cancelledDays: 60 },
  steps: [
    { name: "D-3", offsetDays: -3, channels: ["sms"], templates: { sms: "sms.agreement-d-3" } },
    { name: "D0", offsetDays: 0, channels: ["email"], templates: { email: "email.agreement-d0" } },
    {
      name: "D+1 WhatsApp",
      offsetDays: 1,
      channels: ["whatsapp"],
      templates: { whatsapp: "whatsapp.agreement-d+1" },
    },
    {
      name: "D+1 SMS",
      offsetDays: 1,
      channels: ["sms"],
      templates: { sms: "sms.agreement-d+1" },
      conditions: { onlyWithoutChannel: "whatsapp" },
    },
    {
      name: "D+3",
      offsetDays: 3,
      channels: ["email", "sms"],
      templates: { email: "email.agreement-d+3", sms: "sms.agreement-d+3" },
    },
  ],
};
