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
  startedOn: string | null;
  createdAt: Date;
}

/** Which status may follow which: a suspended contract can be reactivated; a cancelled one is final. */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  active: ["suspended", "cancelled"],
  suspended: ["active", "cancelled"],
  cancelled: [],
};

export const ZCreateContract = z.object({
  externalId: z.string().trim().min(1, { error: "informe o id externo do contrato" }).max(200),
  customerId: z.uuid({ error: "id de cliente inválido" }),
  plan: z.string().trim().min(1, { error: "informe o plano" }).max(200),
  consumer: z.boolean().default(true),
  fineBps: ZBasisPoints.nullish(),
  interestMonthlyBps: ZBasisPoints.nullish(),
  startedOn: ZIsoDate.nullish(),
});
export type TCreateContract = z.input<typeof ZCreateContract>;
