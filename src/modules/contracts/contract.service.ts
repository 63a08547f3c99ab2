import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { type EarlyDiscountTerms, earlyDiscountTerms } from "../../domain/early-discount.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import {
  findContractById,
  insertContract,
  lockContract,
  updateContractStatus,
} from "./contract.repository.ts";
import type { ContractRow, ContractStatus } from "./contract.table.ts";
import { CONTRACT_TRANSITIONS, type Contract, type TCreateContract, ZCreateContract } from "./contract.ts";

export function contractFromRow(row: ContractRow): Contract {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    externalId: row.external_id,
    customerId: row.customer_id,
    plan: row.plan,
    status: row.status,
    consumer: row.consumer,
    fineBps: row.fine_bps,
    interestMonthlyBps: row.interest_monthly_bps,
    earlyDiscountBps: row.early_discount_bps,
    earlyDiscountDays: row.early_discount_days,
    startedOn: row.started_on,
    createdAt: row.created_at,
  };
}

export async function createContract(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateContract,
): Promise<Contract> {
  const data = parseInput(ZCreateContract, input);
  if (!(await findCustomerById(db, tenantId, data.customerId))) {
    throw new AppError("not_found", `customerId: cliente ${data.customerId} não encontrado`, "customerId");
  }
  const row = await insertContract(db, {
    tenant_id: tenantId,
    external_id: data.externalId,
    customer_id: data.customerId,
    plan: data.plan,
    consumer: data.consumer,
    fine_bps: data.fineBps ?? null,
    interest_monthly_bps: data.interestMonthlyBps ?? null,
    early_discount_bps: data.earlyDiscountBps ?? null,
    early_discount_days: data.earlyDiscountDays ?? null,
    started_on: data.startedOn ?? null,
  });
  return contractFromRow(row);
}

export async function getContract(db: Kysely<Database>, tenantId: string, id: string): Promise<Contract> {
  const row = await findContractById(db, tenantId, id);
  if (!row) throw notFound("Contrato", id);
  return contractFromRow(row);
}

export async function changeContractStatus(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  status: ContractStatus,
): Promise<Contract> {
  return db.transaction().execute(async (trx) => {
    const row = await lockContract(trx, tenantId, id);
    if (!row) throw notFound("Contrato", id);
    if (row.status === status) return contractFromRow(row);
    if (!CONTRACT_TRANSITIONS[row.status].includes(status)) {
      throw new AppError(
        "invalid_transition",
        `status: contrato ${row.external_id} está '${row.status}' e não pode passar a '${status}'`,
        "status",
      );
    }
    return contractFromRow(await updateContractStatus(trx, tenantId, id, status));
  });
}

/** The early-payment discount a contract grants (null: none, or no contract). */
export async function earlyDiscountOfContract(
  db: Executor,
  tenantId: string,
  contractId: string | null,
): Promise<EarlyDiscountTerms | null> {
  if (!contractId) return null;
  const row = await findContractById(db, tenantId, contractId);
  return row ? earlyDiscountTerms(row.early_discount_bps, row.early_discount_days) : null;
}
