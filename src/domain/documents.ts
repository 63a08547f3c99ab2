/**
 * CPF (people) and CNPJ (companies), Receita Federal. CPF: 11 digits, two mod-11 check digits.
 * CNPJ: 14 positions; from July 2026 the first 12 may be letters or digits (IN RFB 2.229/2024,
 * alphanumeric CNPJ), each character valued as its ASCII code − 48; check digits stay numeric.
 */

export type DocumentKind = "cpf" | "cnpj";

export type DocumentValidation =
  | { valid: true; kind: DocumentKind; normalized: string; formatted: string }
  | { valid: false; error: string };

/** Strips the usual punctuation (dots, slash, hyphen, spaces) and upper-cases letters. */
export function normalizeDocument(value: string): string {
  return value.replace(/[\s./-]/g, "").toUpperCase();
}

function charValue(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/** Mod-11 check digit with weights given left to right; remainders 0 and 1 give 0. */
function checkDigit(body: string, weights: number[]): number {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) sum += charValue(body, index) * weights[index]!;
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

const CPF_WEIGHTS_1 = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CPF_WEIGHTS_2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** The two check digits of a CPF's first 9 digits (Receita Federal algorithm). */
export function cpfCheckDigits(nineDigits: string): string {
  const first = checkDigit(nineDigits, CPF_WEIGHTS_1);
  const second = checkDigit(nineDigits + first, CPF_WEIGHTS_2);
  return `${first}${second}`;
}

/** The two check digits of a CNPJ's first 12 characters (numeric or alphanumeric). */
export function cnpjCheckDigits(twelve: string): string {
  const first = checkDigit(twelve, CNPJ_WEIGHTS_1);
  const second = checkDigit(twelve + first, CNPJ_WEIGHTS_2);
  return `${first}${second}`;
}

function cpfError(digits: string): string | null {
  if (!/^\d+$/.test(digits)) return "CPF deve ter apenas números";
  if (digits.length !== 11) return `CPF deve ter 11 dígitos (tem ${digits.length})`;
  if (/^(\d)\1{10}$/.test(digits)) return "CPF inválido: todos os dígitos iguais";
  const expected = cpfCheckDigits(digits.slice(0, 9));
  if (digits.slice(9) !== expected) {
    return `CPF com dígitos verificadores errados: esperado ${expected}, informado ${digits.slice(9)}`;
  }
  return null;
}

function cnpjError(value: string): string | null {
  if (value.length !== 14) return `CNPJ deve ter 14 caracteres (tem ${value.length})`;
  if (!/^[0-9A-Z]{12}/.test(value)) return "CNPJ: as 12 primeiras posições devem ser letras ou números";
  if (!/\d{2}$/.test(value)) return "CNPJ: os 2 dígitos verificadores (últimas posições) devem ser números";
  if (/^(\d)\1{13}$/.test(value)) return "CNPJ inválido: todos os dígitos iguais";
  const expected = cnpjCheckDigits(value.slice(0, 12));
  if (value.slice(12) !== expected) {
    return `CNPJ com dígitos verificadores errados: esperado ${expected}, informado ${value.slice(12)}`;
  }
  return null;
}

/** Whether the value (punctuation allowed) is a valid CPF. */
export function isValidCpf(value: string): boolean {
  return cpfError(normalizeDocument(value)) === null;
}

/** Whether the value (punctuation allowed) is a valid CNPJ, numeric or alphanumeric. */
export function isValidCnpj(value: string): boolean {
  return cnpjError(normalizeDocument(value)) === null;
}

/**
 * Validates a CPF (11 digits) or CNPJ (14 positions), with or without punctuation; says in pt-BR
 * what is wrong otherwise.
 */
export function validateDocument(value: string): DocumentValidation {
  const normalized = normalizeDocument(value);
  if (normalized.length === 0) return { valid: false, error: "documento vazio: informe um CPF ou CNPJ" };
  if (/[^0-9A-Z]/.test(normalized)) {
    return {
      valid: false,
      error: `documento "${value}" tem caracteres inválidos: use números (e letras no CNPJ alfanumérico)`,
    };
  }
  if (normalized.length === 11) {
    const error = cpfError(normalized);
    return error
      ? { valid: false, error }
      : { valid: true, kind: "cpf", normalized, formatted: formatDocument(normalized) };
  }
  if (normalized.length === 14) {
    const error = cnpjError(normalized);
    return error
      ? { valid: false, error }
      : { valid: true, kind: "cnpj", normalized, formatted: formatDocument(normalized) };
  }
  return {
    valid: false,
    error: `documento com ${normalized.length} caracteres: CPF tem 11 dígitos e CNPJ tem 14 posições`,
  };
}

/** '52998224725' → '529.982.247-25'; '12ABC34501DE35' → '12.ABC.345/01DE-35'; other input returned as given. */
export function formatDocument(value: string): string {
  const v = normalizeDocument(value);
  if (v.length === 11) return `${v.slice(0, 3)}.${v.slice(3, 6)}.${v.slice(6, 9)}-${v.slice(9)}`;
  if (v.length === 14)
    return `${v.slice(0, 2)}.${v.slice(2, 5)}.${v.slice(5, 8)}/${v.slice(8, 12)}-${v.slice(12)}`;
  return value;
}

/**
 * Hides the ends of a document for messages and logs (LGPD): CPF '***.982.247-**',
 * CNPJ '**.ABC.345/01DE-**'.
 */
export function maskDocument(value: string): string {
  const v = normalizeDocument(value);
  if (v.length === 11) return `***.${v.slice(3, 6)}.${v.slice(6, 9)}-**`;
  if (v.length === 14) return `**.${v.slice(2, 5)}.${v.slice(5, 8)}/${v.slice(8, 12)}-**`;
  return "*".repeat(v.length);
}

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function pick(random: () => number, alphabet: string): string {
  return alphabet[Math.min(alphabet.length - 1, Math.floor(random() * alphabet.length))]!;
}

/** A valid random CPF (digits only) from a random source in [0, 1) — seed it for repeatable demo data. */
export function generateCpf(random: () => number): string {
  for (;;) {
    let body = "";
    for (let index = 0; index < 9; index += 1) body += pick(random, "0123456789");
    if (/^(\d)\1{8}$/.test(body)) continue;
    return body + cpfCheckDigits(body);
  }
}

/** A valid random CNPJ (head office, branch 0001); `alphanumeric` draws the root from 0–9 and A–Z. */
export function generateCnpj(random: () => number, options: { alphanumeric?: boolean } = {}): string {
  const alphabet = options.alphanumeric ? ALPHANUMERIC : "0123456789";
  for (;;) {
    let root = "";
    for (let index = 0; index < 8; index += 1) root += pick(random, alphabet);
    if (/^0{8}$/.test(root)) continue;
    const body = `${root}0001`;
    return body + cnpjCheckDigits(body);
  }
}
