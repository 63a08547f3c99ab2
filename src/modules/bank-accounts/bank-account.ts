import { z } from "zod";
import { BANK_NAMES, type BankCode, SUPPORTED_BANKS } from "../../domain/bank-boleto.ts";
import { isCnab400Bank } from "../../domain/cnab/cnab400.ts";
import type { LayoutKind } from "../../domain/cnab/layout.ts";

/**
 * Glossary: a bank account is where a creditor collects boletos (cobrança): the bank, agency and
 * account with their check digits, the wallet (carteira) and the agreement or beneficiary code the
 * bank gave, and the CNAB layout the bank exchanges files in. A tenant has several; the default
 * one issues the boletos of new invoices.
 */
export interface BankAccount {
  id: string;
  name: string;
  bankCode: BankCode;
  bankName: string;
  layout: LayoutKind;
  agency: string;
  agencyDigit: string;
  account: string;
  accountDigit: string;
  wallet: string;
  agreementCode: string;
  station: string;
  /** the last remittance file's sequence number (NSA) */
  remittanceSequence: number;
  isDefault: boolean;
  createdAt: Date;
}

const digits = (what: string, max: number) =>
  z
    .string({ error: `informe ${what}` })
    .trim()
    .regex(new RegExp(`^\\d{1,${max}}$`), { error: `${what} deve ter de 1 a ${max} dígitos` });

const checkDigit = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[0-9Xx]?$/, { error: `${what} é um dígito (ou X)` })
    .default("");

export const ZCreateBankAccount = z
  .object({
    name: z.string().trim().min(1, { error: "dê um nome à conta (ex.: Itaú cobrança)" }).max(100),
    bankCode: z.enum(SUPPORTED_BANKS, {
      error: `banco deve ser um dos suportados: ${SUPPORTED_BANKS.map((code) => `${code} (${BANK_NAMES[code]})`).join(", ")}`,
    }),
    layout: z
      .enum(["cnab240", "cnab400"], { error: "layout deve ser cnab240 ou cnab400" })
      .default("cnab240"),
    agency: digits("a agência", 5),
    agencyDigit: checkDigit("o dígito da agência"),
    account: digits("a conta", 12),
    accountDigit: checkDigit("o dígito da conta"),
    wallet: digits("a carteira", 3),
    agreementCode: z
      .string()
      .trim()
      .regex(/^\d{0,20}$/, { error: "o convênio / código do beneficiário tem só dígitos (até 20)" })
      .default(""),
    station: z
      .string()
      .trim()
      .regex(/^\d{0,2}$/, { error: "o posto (Sicredi) tem até 2 dígitos" })
      .default(""),
    isDefault: z.boolean().default(false),
  })
  .superRefine((account, context) => {
    if (account.layout === "cnab400" && !isCnab400Bank(account.bankCode)) {
      context.addIssue({
        code: "custom",
        path: ["layout"],
        message: "CNAB 400 só é suportado para Itaú (341), Bradesco (237) e Santander (033)",
      });
    }
    const needsAgreement: Partial<Record<BankCode, string>> = {
      "001": "o convênio (7 dígitos)",
      "033": "o código do beneficiário (7 dígitos)",
      "104": "o código do beneficiário (6 dígitos)",
      "748": "o código do beneficiário (5 dígitos)",
      "756": "o código do cliente (até 7 dígitos)",
    };
    const what = needsAgreement[account.bankCode];
    if (what && account.agreementCode === "") {
      context.addIssue({ code: "custom", path: ["agreementCode"], message: `informe ${what}` });
    }
    if (account.bankCode === "748" && account.station === "") {
      context.addIssue({
        code: "custom",
        path: ["station"],
        message: "informe o posto da cooperativa (Sicredi)",
      });
    }
  });
export type TCreateBankAccount = z.input<typeof ZCreateBankAccount>;
