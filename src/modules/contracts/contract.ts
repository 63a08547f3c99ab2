import { z } from "zod";
import { ZBasisPoints, ZIsoDate } from "../../shared/brazilian-fields.ts";
import type { ContractStatus } from "./contract.table.ts";

/** Glossary: a contract (contrato, assinatura) is an optional plan a customer holds; its rates override the tenant's. */
export interface Contract {
  id: string;
  tenantId: string;
  externalId: string;
  customerId: string;
  plan: string;
  status: ContractStatus;
  consumer: boolean;
  fineBps: number | null;
  interestMonthlyBps: number | null;
  /** early-payment discount in basis points of the face value (null: none) */
  earlyDiscountBps: number | null;
  /** the discount holds when paid up to this many days before the due date (0: up to it) */
  earlyDiscountDays: number | null;
  startedOn: string | null;
  createdAt: Date;
}

/** Which status may follow which: a suspended contract can be reactivated; a cancelled one is final. */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  active: ["suspended", "cancelled"],
  suspended: ["active", "cancelled"],
  cancelled: [],
};

export const ZCreateContract = z
  .object({
    externalId: z.string().trim().min(1, { error: "informe o id externo do contrato" }).max(200),
    customerId: z.uuid({ error: "id de cliente inválido" }),
    plan: z.string().trim().min(1, { error: "informe o plano" }).max(200),
    consumer: z.boolean().default(true),
    fineBps: ZBasisPoints.nullish(),
    interestMonthlyBps: ZBasisPoints.nullish(),
    earlyDiscountBps: z
      .number()
      .int({ error: "use um inteiro em pontos-base (5% = 500)" })
      .min(1, { error: "o desconto deve ser de pelo menos 1 ponto-base; para nenhum, omita o campo" })
      .max(9_999, { error: "o desconto deve ser menor que 100% (10000 pontos-base)" })
      .nullish(),
    earlyDiscountDays: z
      .number()
      .int({ error: "use um número inteiro de dias" })
      .min(0, { error: "não pode ser negativo (0 = até o vencimento)" })
      .max(90, { error: "no máximo 90 dias antes do vencimento" })
      .nullish(),
    startedOn: ZIsoDate.nullish(),
  })
  .superRefine((contract, context) => {
    // the discount is a percentage and the days before the due date it lasts: one without the other says nothing
    const hasBps = contract.earlyDiscountBps != null;
    const hasDays = contract.earlyDiscountDays != null;
    if (hasBps && !hasDays) {
      context.addIssue({
        code: "custom",
        path: ["earlyDiscountDays"],
        message: "informe até quantos dias antes do vencimento vale o desconto (0 = até o vencimento)",
      });
    }
    if (hasDays && !hasBps) {
      context.addIssue({
        code: "custom",
        path: ["earlyDiscountBps"],
        message: "informe o desconto em pontos-base (5% = 500), ou omita também earlyDiscountDays",
      });
    }
  });
export type TCreateContract = z.input<typeof ZCreateContract>;
