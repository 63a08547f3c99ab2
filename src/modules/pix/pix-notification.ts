import { z } from "zod";

/**
 * The notifications the PSP sends (BCB Pix API v2): `POST <webhookUrl>/pix` with the Pix received,
 * `POST` to the recurrences' and recurring charges' webhooks with their status changes. Validated
 * at the boundary; unknown fields are allowed (the API evolves by adding fields).
 */
const ZDecimal = z.string().regex(/^\d{1,10}\.\d{2}$/, { error: "valor como 123.45" });

export const ZRefund = z.object({
  id: z.string().regex(/^[a-zA-Z0-9]{1,35}$/, { error: "id de devolução: até 35 letras e dígitos" }),
  rtrId: z.string().regex(/^[a-zA-Z0-9]{32}$/, { error: "rtrId: 32 letras e dígitos" }),
  valor: ZDecimal,
  natureza: z.string().max(40).optional(),
  horario: z
    .object({
      solicitacao: z.iso.datetime({ offset: true }).optional(),
      liquidacao: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  status: z.enum(["EM_PROCESSAMENTO", "DEVOLVIDO", "NAO_REALIZADO"]),
});

export const ZPixReceived = z.object({
  endToEndId: z.string().regex(/^[a-zA-Z0-9]{32}$/, { error: "endToEndId: 32 letras e dígitos" }),
  txid: z
    .string()
    .regex(/^[a-zA-Z0-9]{1,35}$/, { error: "txid: até 35 letras e dígitos" })
    .optional(),
  valor: ZDecimal,
  horario: z.iso.datetime({ offset: true, error: "horario: instante RFC 3339" }),
  infoPagador: z.string().max(140).optional(),
  devolucoes: z.array(ZRefund).optional(),
});
export type TPixReceived = z.output<typeof ZPixReceived>;

export const ZPixNotification = z.object({ pix: z.array(ZPixReceived).max(1000) });

const RECURRENCE_STATUSES = ["CRIADA", "APROVADA", "REJEITADA", "EXPIRADA", "CANCELADA"] as const;
const RECURRING_CHARGE_STATUSES = [
  "CRIADA",
  "ATIVA",
  "CONCLUIDA",
  "EXPIRADA",
  "REJEITADA",
  "CANCELADA",
] as const;

const ZEnding = z
  .object({
    rejeicao: z.object({ codigo: z.string().max(4), descricao: z.string().max(105) }).optional(),
    cancelamento: z
      .object({ solicitante: z.string().max(40), codigo: z.string().max(4), descricao: z.string().max(105) })
      .optional(),
  })
  .optional();

export const ZRecurrenceNotification = z.object({
  recs: z
    .array(
      z.object({
        idRec: z.string().regex(/^[a-zA-Z0-9]{29}$/, { error: "idRec: 29 letras e dígitos" }),
        status: z.enum(RECURRENCE_STATUSES),
        encerramento: ZEnding,
      }),
    )
    .max(1000),
});

export const ZRecurringChargeNotification = z.object({
  cobsr: z
    .array(
      z.object({
        idRec: z.string().regex(/^[a-zA-Z0-9]{29}$/),
        txid: z.string().regex(/^[a-zA-Z0-9]{26,35}$/),
        status: z.enum(RECURRING_CHARGE_STATUSES),
        encerramento: ZEnding,
        pix: z.array(ZPixReceived.extend({ txid: z.string().regex(/^[a-zA-Z0-9]{1,35}$/) })).optional(),
      }),
    )
    .max(1000),
});
