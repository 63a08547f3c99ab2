import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { BANK_NAMES, type BoletoAccount } from "../../domain/bank-boleto.ts";
import { notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  findBankAccount,
  findBankAccounts,
  findDefaultBankAccount,
  insertBankAccount,
} from "./bank-account.repository.ts";
import type { BankAccountRow } from "./bank-account.table.ts";
import { type BankAccount, type TCreateBankAccount, ZCreateBankAccount } from "./bank-account.ts";

export function bankAccountFromRow(row: BankAccountRow): BankAccount {
  return {
    id: row.id,
    name: row.name,
    bankCode: row.bank_code,
    bankName: BANK_NAMES[row.bank_code],
    layout: row.layout,
    agency: row.agency,
    agencyDigit: row.agency_digit,
    account: row.account,
    accountDigit: row.account_digit,
    wallet: row.wallet,
    agreementCode: row.agreement_code,
    station: row.station,
    remittanceSequence: row.remittance_sequence,
    isDefault: row.is_default,
    createdAt: row.created_at,
  };
}

/** What the bank's boleto rules read from the account (src/domain/bank-boleto.ts). */
export function boletoAccountOf(account: BankAccount): BoletoAccount {
  return {
    bankCode: account.bankCode,
    agency: account.agency,
    account: account.account,
    accountDigit: account.accountDigit,
    wallet: account.wallet,
    agreementCode: account.agreementCode,
    station: account.station,
  };
}

/** Registers a bank account; the tenant's first account becomes its default. */
export async function createBankAccount(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateBankAccount,
): Promise<BankAccount> {
  const data = parseInput(ZCreateBankAccount, input);
  return db.transaction().execute(async (trx) => {
    const first = (await findDefaultBankAccount(trx, tenantId)) === undefined;
    const row = await insertBankAccount(trx, {
      tenant_id: tenantId,
      name: data.name,
      bank_code: data.bankCode,
      layout: data.layout,
      agency: data.agency,
      agency_digit: data.agencyDigit.toUpperCase(),
      account: data.account,
      account_digit: data.accountDigit.toUpperCase(),
      wallet: data.wallet,
      agreement_code: data.agreementCode,
      station: data.station,
      is_default: data.isDefault || first,
    });
    return bankAccountFromRow(row);
  });
}

export async function listBankAccounts(db: Executor, tenantId: string): Promise<BankAccount[]> {
  return (await findBankAccounts(db, tenantId)).map(bankAccountFromRow);
}

export async function getBankAccount(db: Executor, tenantId: string, id: string): Promise<BankAccount> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await findBankAccount(db, tenantId, id) : undefined;
  if (!row) throw notFound("Conta bancária", id);
  return bankAccountFromRow(row);
}

export async function getDefaultBankAccount(db: Executor, tenantId: string): Promise<BankAccount | null> {
  const row = await findDefaultBankAccount(db, tenantId);
  return row ? bankAccountFromRow(row) : null;
}
