import { mod10 } from "./boleto.ts";

/**
 * Each bank's boleto rules: the 25-digit free field (campo livre) of the barcode and the our
 * number (nosso número) with its check digit, where the bank defines one. Pure code, no I/O. The
 * sources and what could not be confirmed are in docs/bank-files.md.
 */

export const SUPPORTED_BANKS = ["001", "033", "104", "237", "341", "748", "756"] as const;
export type BankCode = (typeof SUPPORTED_BANKS)[number];

export const BANK_NAMES: Record<BankCode, string> = {
  "001": "Banco do Brasil",
  "033": "Santander",
  "104": "Caixa Econômica Federal",
  "237": "Bradesco",
  "341": "Itaú",
  "748": "Sicredi",
  "756": "Sicoob",
};

export function isSupportedBank(code: string): code is BankCode {
  return (SUPPORTED_BANKS as readonly string[]).includes(code);
}

/** What the bank rules read from an account (digits only, as the bank prints them). */
export interface BoletoAccount {
  bankCode: BankCode;
  agency: string;
  account: string;
  accountDigit: string;
  wallet: string;
  /** convênio (BB), código do beneficiário (Santander, Caixa, Sicoob, Sicredi); empty where unused */
  agreementCode: string;
  /** Sicredi: the branch's "posto" (2 digits) */
  station: string;
}

export class BankRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BankRuleError";
  }
}

function digits(value: string, width: number, what: string): string {
  if (!/^\d*$/.test(value)) throw new BankRuleError(`${what} deve ter apenas dígitos`);
  if (value.length > width) throw new BankRuleError(`${what} tem mais de ${width} dígitos`);
  return value.padStart(width, "0");
}

/** Σ digit × weight, weights cycling 2…max from the right. */
function weightedSum(value: string, max: number): number {
  let sum = 0;
  let weight = 2;
  for (let index = value.length - 1; index >= 0; index -= 1) {
    sum += (value.charCodeAt(index) - 48) * weight;
    weight = weight === max ? 2 : weight + 1;
  }
  return sum;
}

/** Mod 11 (weights 2–9): 11 − remainder, where 10 and 11 become 0 (Caixa, Sicredi). */
export function mod11Zero(value: string): number {
  const digit = 11 - (weightedSum(value, 9) % 11);
  return digit > 9 ? 0 : digit;
}

/** Santander's our-number digit: remainder 0 or 1 → 0, remainder 10 → 1, else 11 − remainder. */
export function santanderDigit(value: string): number {
  const remainder = weightedSum(value, 9) % 11;
  if (remainder === 0 || remainder === 1) return 0;
  if (remainder === 10) return 1;
  return 11 - remainder;
}

/** Bradesco's our-number digit: mod 11 weights 2–7 over wallet + number; 1 → "P", 0 → "0". */
export function bradescoDigit(walletAndNumber: string): string {
  const remainder = weightedSum(walletAndNumber, 7) % 11;
  if (remainder === 0) return "0";
  if (remainder === 1) return "P";
  return String(11 - remainder);
}

/** Sicoob's our-number digit: weights 3,1,9,7 from the left over agency + client + number, mod 11. */
export function sicoobDigit(agency4: string, client10: string, number7: string): number {
  const value = agency4 + client10 + number7;
  const weights = [3, 1, 9, 7];
  let sum = 0;
  for (let index = 0; index < value.length; index += 1)
    sum += (value.charCodeAt(index) - 48) * weights[index % 4]!;
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

/** The our number as the bank prints it and puts in CNAB files, check digit included. */
export interface OurNumber {
  /** the digits the bank expects in files (with the check digit where it has one) */
  full: string;
  /** the check digit alone, or "" where the bank defines none */
  checkDigit: string;
}

/**
 * The our number of a sequence number for an account. `year2` is the issue year's last two digits
 * (Sicredi puts it in the number).
 */
export function ourNumberFor(account: BoletoAccount, sequence: number, year2 = "00"): OurNumber {
  const seq = (width: number) => digits(String(sequence), width, "nosso número");
  switch (account.bankCode) {
    case "001": {
      // convênio of 7 digits: convênio + 10-digit sequence, no check digit (carteiras 17/18)
      const full = digits(account.agreementCode, 7, "convênio") + seq(10);
      return { full, checkDigit: "" };
    }
    case "033": {
      const base = seq(12);
      const checkDigit = String(santanderDigit(base));
      return { full: base + checkDigit, checkDigit };
    }
    case "104": {
      // SIGCB: 17 digits, "1" registered + "4" issued by the beneficiary + 15-digit sequence
      const full = `14${seq(15)}`;
      return { full, checkDigit: String(mod11Zero(full)) };
    }
    case "237": {
      const base = seq(11);
      const checkDigit = bradescoDigit(digits(account.wallet, 2, "carteira") + base);
      return { full: base + checkDigit, checkDigit };
    }
    case "341": {
      const base = seq(8);
      const wallet = digits(account.wallet, 3, "carteira");
      const special = ["126", "131", "146", "150", "168"].includes(wallet);
      const checkDigit = String(
        mod10(
          special
            ? wallet + base
            : digits(account.agency, 4, "agência") + digits(account.account, 5, "conta") + wallet + base,
        ),
      );
      return { full: base + checkDigit, checkDigit };
    }
    case "748": {
      // year (2) + byte "2" (issued by the beneficiary) + 5-digit sequence, then mod-11 digit over
      // agency + station + beneficiary + those 8 digits
      const base = `${digits(year2, 2, "ano")}2${seq(5)}`;
      const checkDigit = String(
        mod11Zero(
          digits(account.agency, 4, "agência") +
            digits(account.station, 2, "posto") +
            digits(account.agreementCode, 5, "código do beneficiário") +
            base,
        ),
      );
      return { full: base + checkDigit, checkDigit };
    }
    case "756": {
      const base = seq(7);
      const checkDigit = String(
        sicoobDigit(
          digits(account.agency, 4, "agência"),
          digits(account.agreementCode, 10, "código do beneficiário"),
          base,
        ),
      );
      return { full: base + checkDigit, checkDigit };
    }
  }
}

/**
 * The barcode's free field (25 digits) of a boleto, by the issuing bank's rules. `hasAmount`
 * matters only to Sicredi (a flag in the field).
 */
export function freeFieldFor(account: BoletoAccount, ourNumber: OurNumber, hasAmount = true): string {
  const agency = digits(account.agency, 4, "agência");
  switch (account.bankCode) {
    case "001":
      return `000000${ourNumber.full}${digits(account.wallet, 2, "carteira")}`;
    case "033":
      return `9${digits(account.agreementCode, 7, "código do beneficiário")}${ourNumber.full}0${digits(account.wallet, 3, "carteira")}`;
    case "104": {
      const beneficiary = digits(account.agreementCode, 6, "código do beneficiário");
      const n = ourNumber.full; // 17 digits: 1 (registered) 4 (issued by the beneficiary) + 15
      const field = `${beneficiary}${mod11Zero(beneficiary)}${n.slice(2, 5)}${n[0]}${n.slice(5, 8)}${n[1]}${n.slice(8, 17)}`;
      return field + mod11Zero(field);
    }
    case "237":
      return `${agency}${digits(account.wallet, 2, "carteira")}${ourNumber.full.slice(0, 11)}${digits(account.account, 7, "conta")}0`;
    case "341": {
      const wallet = digits(account.wallet, 3, "carteira");
      const account5 = digits(account.account, 5, "conta");
      return `${wallet}${ourNumber.full}${agency}${account5}${mod10(agency + account5)}000`;
    }
    case "748": {
      const field = `11${ourNumber.full}${agency}${digits(account.station, 2, "posto")}${digits(account.agreementCode, 5, "código do beneficiário")}${hasAmount ? "1" : "0"}0`;
      return field + mod11Zero(field);
    }
    case "756":
      return `${digits(account.wallet, 1, "carteira")}${agency}01${digits(account.agreementCode, 7, "código do beneficiário")}${ourNumber.full}001`;
  }
}
