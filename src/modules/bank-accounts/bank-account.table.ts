import type { Generated, Insertable, Selectable } from "kysely";
import type { BankCode } from "../../domain/bank-boleto.ts";
import type { LayoutKind } from "../../domain/cnab/layout.ts";

export interface BankAccountTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  bank_code: BankCode;
  layout: LayoutKind;
  agency: string;
  agency_digit: Generated<string>;
  account: string;
  account_digit: Generated<string>;
  wallet: string;
  agreement_code: Generated<string>;
  station: Generated<string>;
  remittance_sequence: Generated<number>;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
}

export type BankAccountRow = Selectable<BankAccountTable>;
export type NewBankAccountRow = Insertable<BankAccountTable>;
