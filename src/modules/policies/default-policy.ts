import type { TPolicy } from "./policy.ts";

export const DEFAULT_POLICY_NAME = "Régua padrão";

/**
 * The seeds' régua, given to every new tenant: e-mail on D-5, D0, D+6 and D+12; SMS on D-1 and
 * D+6; a letter on D+15 to customers without a usable e-mail; on D+30 a negotiation offer by
 * e-mail and a task for an analyst. Standing: warning on D+5, suspension on D+20, cancellation on
 * D+60 (the seeds' login warning after 5 days and block after 20).
 */
export const DEFAULT_POLICY: TPolicy = {
  name: DEFAULT_POLICY_NAME,
  description: "Régua sugerida: lembretes antes do vencimento, cobrança após, carta e negociação.",
  priority: 1000,
  standing: { warningDays: 5, suspendedDays: 20, cancelledDays: 60 },
  steps: [
    { name: "D-5", offsetDays: -5, channels: ["email"], templates: { email: "email.d-5" } },
    { name: "D-1", offsetDays: -1, channels: ["sms"], templates: { sms: "sms.d-1" } },
    { name: "D0", offsetDays: 0, channels: ["email"], templates: { email: "email.d0" } },
    {
      name: "D+6",
      offsetDays: 6,
      channels: ["email", "sms"],
      templates: { email: "email.d+6", sms: "sms.d+6" },
    },
    { name: "D+12", offsetDays: 12, channels: ["email"], templates: { email: "email.d+12" } },
    {
      name: "D+15",
      offsetDays: 15,
      channels: ["letter"],
      templates: { letter: "letter.d+15" },
      conditions: { onlyWithoutChannel: "email" },
    },
    {
      name: "D+30",
      offsetDays: 30,
      channels: ["email", "task"],
      templates: { email: "email.negotiation-offer", task: "task.negotiation" },
    },
  ],
};

/**
 * Legal contact hours per state (CDC art. 42 and state laws): SP weekdays 08–20h and Saturdays
 * 08–14h (AL follows SP), RJ weekdays 09–19h, ES weekdays 08–19h, AM weekdays until 19h; elsewhere
 * the safe national default, weekdays 09–19h. Never Sundays or holidays.
 */
export const DEFAULT_CONTACT_WINDOWS = [
  { state: "SP", weekdayStart: "08:00", weekdayEnd: "20:00", saturdayStart: "08:00", saturdayEnd: "14:00" },
  { state: "AL", weekdayStart: "08:00", weekdayEnd: "20:00", saturdayStart: "08:00", saturdayEnd: "14:00" },
  { state: "RJ", weekdayStart: "09:00", weekdayEnd: "19:00", saturdayStart: null, saturdayEnd: null },
  { state: "ES", weekdayStart: "08:00", weekdayEnd: "19:00", saturdayStart: null, saturdayEnd: null },
  // The AM rule sets only the end; the start follows the usual 08h of business hours.
  { state: "AM", weekdayStart: "08:00", weekdayEnd: "19:00", saturdayStart: null, saturdayEnd: null },
  { state: "*", weekdayStart: "09:00", weekdayEnd: "19:00", saturdayStart: null, saturdayEnd: null },
] as const;
