import { z } from "zod";
import { ZIsoDate } from "../../shared/brazilian-fields.ts";
import type { CallOutcome, InteractionKind } from "./interaction.table.ts";

/**
 * Glossary: an interaction is something the collections team did with a customer outside the
 * régua — a phone call (with its outcome and, when the debtor promised to pay, the day and amount
 * promised) or a free note. A pause stops the régua for a customer until a day (the planner skips
 * them, standing does not worsen; see customer_pauses).
 */
export interface Interaction {
  id: string;
  customerId: string;
  kind: InteractionKind;
  body: string;
  outcome: CallOutcome | null;
  promisedOn: string | null;
  promisedCents: number | null;
  operatorId: string | null;
  createdAt: Date;
}

export const CALL_OUTCOMES = ["answered", "no_answer", "voicemail", "wrong_number", "refused"] as const;

export const ZLogCall = z
  .strictObject({
    outcome: z.enum(CALL_OUTCOMES, {
      error: "resultado deve ser answered, no_answer, voicemail, wrong_number ou refused",
    }),
    body: z.string().trim().max(10_000, { error: "no máximo 10.000 caracteres" }).default(""),
    promisedOn: ZIsoDate.nullish(),
    promisedCents: z
      .number()
      .int({ error: "em centavos, um número inteiro" })
      .positive({ error: "deve ser maior que zero" })
      .max(Number.MAX_SAFE_INTEGER)
      .nullish(),
  })
  .superRefine((call, context) => {
    const hasDate = call.promisedOn != null;
    const hasAmount = call.promisedCents != null;
    if (hasDate !== hasAmount) {
      context.addIssue({
        code: "custom",
        path: [hasDate ? "promisedCents" : "promisedOn"],
        message: "uma promessa de pagamento precisa do dia e do valor",
      });
    } else if (hasDate && call.outcome !== "answered") {
      context.addIssue({
        code: "custom",
        path: ["outcome"],
        message: "só há promessa de pagamento quando o cliente atendeu (answered)",
      });
    }
  });
export type TLogCall = z.input<typeof ZLogCall>;

export const ZAddNote = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1, { error: "escreva a anotação" })
    .max(10_000, { error: "no máximo 10.000 caracteres" }),
});
export type TAddNote = z.input<typeof ZAddNote>;

/** How far ahead a promise to pay may fall: further out, the debtor needs an agreement, not a promise. */
export const MAX_PROMISE_DAYS = 180;

/** How far ahead a pause may go: a longer one is a decision to stop collecting, not a pause. */
export const MAX_PAUSE_DAYS = 365;

export const ZPauseCollection = z.strictObject({
  until: ZIsoDate,
  reason: z.string().trim().min(1, { error: "informe o motivo da pausa" }).max(500),
});
export type TPauseCollection = z.input<typeof ZPauseCollection>;

export const ZCreditLimit = z.strictObject({
  creditLimitCents: z
    .number()
    .int({ error: "em centavos, um número inteiro" })
    .min(0, { error: "não pode ser negativo" })
    .max(Number.MAX_SAFE_INTEGER)
    .nullable(),
});
export type TCreditLimit = z.input<typeof ZCreditLimit>;
