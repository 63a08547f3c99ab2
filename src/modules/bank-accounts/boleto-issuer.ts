import type { Executor } from "../../db/database.ts";
import { type BoletoAccount, ourNumberFor } from "../../domain/bank-boleto.ts";
import { boletoAccountOf, getDefaultBankAccount } from "./bank-account.service.ts";

/** The account that issues a new invoice's boleto, and the our number its bank's rules give. */
export interface BoletoIssuer {
  id: string;
  boletoFor(sequence: number, issueDate: string): { account: BoletoAccount; bankOurNumber: string };
}

/** The tenant's default bank account as the issuer of new boletos; null without one. */
export async function boletoIssuerOf(db: Executor, tenantId: string): Promise<BoletoIssuer | null> {
  const account = await getDefaultBankAccount(db, tenantId);
  if (!account) return null;
  const rules = boletoAccountOf(account);
  return {
    id: account.id,
    boletoFor: (sequence, issueDate) => ({
      account: rules,
      bankOurNumber: ourNumberFor(rules, sequence, issueDate.slice(2, 4)).full,
    }),
  };
}
