import type { Executor } from "../../db/database.ts";
import { type BoletoAccount, ourNumberFor } from "../../domain/bank-boleto.ts";
import { boletoAccountOf, getBankAccount, getDefaultBankAccount } from "./bank-account.service.ts";
import type { BankAccount } from "./bank-account.ts";

/** The account that issues a new invoice's boleto, and the our number its bank's rules give. */
export interface BoletoIssuer {
  id: string;
  boletoFor(sequence: number, issueDate: string): { account: BoletoAccount; bankOurNumber: string };
}

/**
 * Lookups in flight, per executor and tenant. Invoices posted at the same time each ask for the
 * issuer; sharing one lookup makes them resume in the order they asked, so that the first of two
 * requests with the same external id still reaches the group writer first (first call wins).
 */
const inFlight = new WeakMap<Executor, Map<string, Promise<BoletoIssuer | null>>>();

/** The tenant's default bank account as the issuer of new boletos; null without one. */
export function boletoIssuerOf(db: Executor, tenantId: string): Promise<BoletoIssuer | null> {
  let byTenant = inFlight.get(db);
  if (!byTenant) {
    byTenant = new Map();
    inFlight.set(db, byTenant);
  }
  const pending = byTenant.get(tenantId);
  if (pending) return pending;
  const lookup = loadIssuer(db, tenantId).finally(() => byTenant.delete(tenantId));
  byTenant.set(tenantId, lookup);
  return lookup;
}

async function loadIssuer(db: Executor, tenantId: string): Promise<BoletoIssuer | null> {
  const account = await getDefaultBankAccount(db, tenantId);
  return account ? issuerOf(account) : null;
}

/** The account that issued an invoice's boleto, to build it again (a new amount or due date). */
export async function boletoIssuerOfAccount(
  db: Executor,
  tenantId: string,
  accountId: string,
): Promise<BoletoIssuer> {
  return issuerOf(await getBankAccount(db, tenantId, accountId));
}

function issuerOf(account: BankAccount): BoletoIssuer {
  const rules = boletoAccountOf(account);
  return {
    id: account.id,
    boletoFor: (sequence, issueDate) => ({
      account: rules,
      bankOurNumber: ourNumberFor(rules, sequence, issueDate.slice(2, 4)).full,
    }),
  };
}
