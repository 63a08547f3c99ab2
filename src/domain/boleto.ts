import { dayNumber, dayNumberOf, fromDayNumber, type IsoDate } from "./dates.ts";

/**
 * Boletos per FEBRABAN: bank slips ("ficha de compensação", 44-digit barcode, 47-digit typeable
 * line) and collection slips ("arrecadação": utilities, taxes; start with 8, 48-digit line).
 *
 * Bank barcode: bank (3) · currency 9 (1) · general check digit (1) · due factor (4) ·
 * amount in cents (10) · free field (25). Typeable line: three fields of barcode digits each closed
 * by a mod-10 digit, then the general check digit, then factor + amount.
 */

export class BoletoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BoletoError";
  }
}

export interface ParsedBoleto {
  kind: "bank" | "collection";
  barcode: string;
  typeableLine: string;
  /** Amount in cents; null when the slip carries none (zero amount, or a collection reference value). */
  amountCents: number | null;
  /** Due date read from the due factor (bank slips); null without one or for collection slips. */
  dueDate: IsoDate | null;
  bankCode: string | null;
}

/** FEBRABAN mod 10: weights 2,1,2,1… from the right, digits of each product summed. */
export function mod10(digits: string): number {
  let sum = 0;
  let weight = 2;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    const product = (digits.charCodeAt(index) - 48) * weight;
    sum += product > 9 ? product - 9 : product;
    weight = weight === 2 ? 1 : 2;
  }
  return (10 - (sum % 10)) % 10;
}

/** Sum of digits × weights 2…9 (cycling) from the right, mod 11. */
function mod11Remainder(digits: string): number {
  let sum = 0;
  let weight = 2;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    sum += (digits.charCodeAt(index) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  return sum % 11;
}

/** General check digit of a bank barcode: 11 − (sum mod 11), and 0, 10, 11 become 1. */
export function bankBarcodeCheckDigit(digits43: string): number {
  const digit = 11 - mod11Remainder(digits43);
  return digit === 0 || digit === 10 || digit === 11 ? 1 : digit;
}

/** Mod 11 of collection slips: 11 − (sum mod 11), and remainders 0 and 1 give 0. */
export function collectionMod11(digits: string): number {
  const remainder = mod11Remainder(digits);
  return remainder < 2 ? 0 : 11 - remainder;
}

// Factor 1000 fell on 2000-07-03 (base 1997-10-07 + 1000 days); 9999 on 2025-02-21; on 2025-02-22
// the count restarted at 1000, so factors repeat every 9000 days.
const FACTOR_BASE = dayNumberOf(1997, 10, 7);
const FACTOR_CYCLE = 9000;
/** Reading a factor back picks the one date in [today − 3000 days, today + 6000 days). */
const WINDOW_PAST_DAYS = 3000;

/** The 4-digit due factor of a date (FEBRABAN; restarted at 1000 on 2025-02-22). */
export function dueFactor(date: IsoDate): string {
  const days = dayNumber(date) - FACTOR_BASE;
  if (days < 1000) throw new BoletoError(`vencimento ${date} anterior a 03/07/2000: sem fator de vencimento`);
  return String(((days - 1000) % FACTOR_CYCLE) + 1000);
}

/**
 * The due date of a factor: the factor repeats every 9000 days, so the date is the one that falls
 * in the window [today − 3000 days, today + 6000 days). '0000' means no due date (null).
 */
export function dateFromDueFactor(factor: string, today: IsoDate): IsoDate | null {
  if (!/^\d{4}$/.test(factor))
    throw new BoletoError(`fator de vencimento "${factor}" inválido: deve ter 4 dígitos`);
  const value = Number(factor);
  if (value === 0) return null;
  if (value < 1000) return fromDayNumber(FACTOR_BASE + value);
  const windowStart = dayNumber(today) - WINDOW_PAST_DAYS;
  const first = FACTOR_BASE + value;
  const cycles = Math.ceil((windowStart - first) / FACTOR_CYCLE);
  return fromDayNumber(first + Math.max(0, cycles) * FACTOR_CYCLE);
}

/** Builds a bank slip's barcode and typeable line (FEBRABAN layout). */
export function buildBankBoleto(input: {
  bankCode: string;
  dueDate: IsoDate | null;
  amountCents: number;
  freeField: string;
}): { barcode: string; typeableLine: string } {
  if (!/^\d{3}$/.test(input.bankCode))
    throw new BoletoError(`código do banco "${input.bankCode}" inválido: deve ter 3 dígitos`);
  if (!/^\d{25}$/.test(input.freeField)) {
    throw new BoletoError(
      `campo livre inválido: deve ter 25 dígitos (recebido ${input.freeField.length} caracteres)`,
    );
  }
  if (
    !Number.isSafeInteger(input.amountCents) ||
    input.amountCents < 0 ||
    input.amountCents > 99_999_999_99
  ) {
    throw new BoletoError(
      "valor do boleto inválido: deve ser um número inteiro de centavos entre 0 e 9.999.999.999",
    );
  }
  const factor = input.dueDate === null ? "0000" : dueFactor(input.dueDate);
  const tail = `${factor}${String(input.amountCents).padStart(10, "0")}${input.freeField}`;
  const head = `${input.bankCode}9`;
  const barcode = `${head}${bankBarcodeCheckDigit(head + tail)}${tail}`;
  return { barcode, typeableLine: bankLineFromBarcode(barcode) };
}

function bankLineFromBarcode(barcode: string): string {
  const field1 = barcode.slice(0, 4) + barcode.slice(19, 24);
  const field2 = barcode.slice(24, 34);
  const field3 = barcode.slice(34, 44);
  return `${field1}${mod10(field1)}${field2}${mod10(field2)}${field3}${mod10(field3)}${barcode[4]}${barcode.slice(5, 19)}`;
}

function collectionLineFromBarcode(barcode: string, checkDigit: (digits: string) => number): string {
  let line = "";
  for (let block = 0; block < 4; block += 1) {
    const digits = barcode.slice(block * 11, block * 11 + 11);
    line += digits + checkDigit(digits);
  }
  return line;
}

/** Splits a typeable line with the usual dots and spaces (47: 5.5 5.6 5.6 1 14; 48: four blocks of 11-1). */
export function formatTypeableLine(line: string): string {
  const digits = line.replace(/[\s.-]/g, "");
  if (digits.length === 47) {
    return `${digits.slice(0, 5)}.${digits.slice(5, 10)} ${digits.slice(10, 15)}.${digits.slice(15, 21)} ${digits.slice(21, 26)}.${digits.slice(26, 32)} ${digits[32]} ${digits.slice(33)}`;
  }
  if (digits.length === 48) {
    const blocks = [0, 1, 2, 3].map(
      (block) => `${digits.slice(block * 12, block * 12 + 11)}-${digits[block * 12 + 11]}`,
    );
    return blocks.join(" ");
  }
  return line;
}

/**
 * Validates and reads a boleto given as a 47-digit bank line, a 48-digit collection line or a
 * 44-digit barcode (dots, spaces and hyphens ignored). Every check digit is verified; `today`
 * resolves the due factor (FEBRABAN restart of 2025-02-22). Throws BoletoError in pt-BR.
 */
export function parseBoleto(input: string, today: IsoDate): ParsedBoleto {
  const digits = input.replace(/[\s.-]/g, "");
  if (digits.length === 0)
    throw new BoletoError("boleto vazio: informe a linha digitável ou o código de barras");
  const stray = /\D/.exec(digits);
  if (stray)
    throw new BoletoError(`boleto inválido: caractere "${stray[0]}" não é dígito (use apenas números)`);
  switch (digits.length) {
    case 44:
      return digits[0] === "8" ? parseCollectionBarcode(digits) : parseBankBarcode(digits, today);
    case 47:
      return parseBankLine(digits, today);
    case 48:
      if (digits[0] !== "8") {
        throw new BoletoError(
          "linha de arrecadação inválida: deve começar com 8 (48 dígitos são de contas de consumo e tributos)",
        );
      }
      return parseCollectionLine(digits);
    default:
      throw new BoletoError(
        `boleto com ${digits.length} dígitos: a linha digitável tem 47 (bancário) ou 48 (arrecadação) dígitos e o código de barras 44`,
      );
  }
}

function parseBankLine(line: string, today: IsoDate): ParsedBoleto {
  const fields = [
    { digits: line.slice(0, 9), check: line[9]! },
    { digits: line.slice(10, 20), check: line[20]! },
    { digits: line.slice(21, 31), check: line[31]! },
  ];
  fields.forEach((field, index) => {
    const expected = mod10(field.digits);
    if (String(expected) !== field.check) {
      throw new BoletoError(
        `dígito verificador do campo ${index + 1} da linha digitável não confere: esperado ${expected}, recebido ${field.check}`,
      );
    }
  });
  const barcode =
    line.slice(0, 4) +
    line[32] +
    line.slice(33, 47) +
    line.slice(4, 9) +
    line.slice(10, 20) +
    line.slice(21, 31);
  return parseBankBarcode(barcode, today, "da linha digitável");
}

function parseBankBarcode(barcode: string, today: IsoDate, where = "do código de barras"): ParsedBoleto {
  if (barcode[3] !== "9") {
    throw new BoletoError(`código de moeda ${barcode[3]} não suportado: boletos em reais usam 9`);
  }
  const expected = bankBarcodeCheckDigit(barcode.slice(0, 4) + barcode.slice(5));
  if (String(expected) !== barcode[4]) {
    throw new BoletoError(
      `dígito verificador geral ${where} não confere: esperado ${expected}, recebido ${barcode[4]}`,
    );
  }
  const amountCents = Number(barcode.slice(9, 19));
  return {
    kind: "bank",
    barcode,
    typeableLine: bankLineFromBarcode(barcode),
    amountCents: amountCents === 0 ? null : amountCents,
    dueDate: dateFromDueFactor(barcode.slice(5, 9), today),
    bankCode: barcode.slice(0, 3),
  };
}

/** Position 3 of a collection slip: 6 or 7 → mod 10; 8 or 9 → mod 11 (6 and 8: amount in reais). */
function collectionScheme(digits: string): { checkDigit: (digits: string) => number; hasAmount: boolean } {
  const indicator = digits[2];
  if (indicator === "6" || indicator === "7") return { checkDigit: mod10, hasAmount: indicator === "6" };
  if (indicator === "8" || indicator === "9")
    return { checkDigit: collectionMod11, hasAmount: indicator === "8" };
  throw new BoletoError(
    `identificador de valor "${indicator}" inválido na 3ª posição da arrecadação: deve ser 6, 7, 8 ou 9`,
  );
}

function parseCollectionLine(line: string): ParsedBoleto {
  const scheme = collectionScheme(line);
  let barcode = "";
  for (let block = 0; block < 4; block += 1) {
    const digits = line.slice(block * 12, block * 12 + 11);
    const check = line[block * 12 + 11]!;
    const expected = scheme.checkDigit(digits);
    if (String(expected) !== check) {
      throw new BoletoError(
        `dígito verificador do bloco ${block + 1} da linha de arrecadação não confere: esperado ${expected}, recebido ${check}`,
      );
    }
    barcode += digits;
  }
  return parseCollectionBarcode(barcode, "da linha de arrecadação");
}

function parseCollectionBarcode(barcode: string, where = "do código de barras"): ParsedBoleto {
  const scheme = collectionScheme(barcode);
  const expected = scheme.checkDigit(barcode.slice(0, 3) + barcode.slice(4));
  if (String(expected) !== barcode[3]) {
    throw new BoletoError(
      `dígito verificador geral ${where} não confere: esperado ${expected}, recebido ${barcode[3]}`,
    );
  }
  return {
    kind: "collection",
    barcode,
    typeableLine: collectionLineFromBarcode(barcode, scheme.checkDigit),
    amountCents: scheme.hasAmount ? Number(barcode.slice(4, 15)) : null,
    dueDate: null,
    bankCode: null,
  };
}

/** Builds a collection slip barcode and line from its 43 digits without the general check digit (for tests and demos). */
export function buildCollectionBoleto(digits43: string): { barcode: string; typeableLine: string } {
  if (!/^8\d{42}$/.test(digits43)) throw new BoletoError("arrecadação: informe 43 dígitos começando com 8");
  const scheme = collectionScheme(digits43);
  const barcode = `${digits43.slice(0, 3)}${scheme.checkDigit(digits43)}${digits43.slice(3)}`;
  return { barcode, typeableLine: collectionLineFromBarcode(barcode, scheme.checkDigit) };
}
