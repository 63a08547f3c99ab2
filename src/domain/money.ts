/**
 * Money is an integer number of cents (BRL). Every division that can leave a fraction of a cent
 * (percentages, pro rata interest) rounds ONE way, stated here once and used everywhere:
 */
export const ROUNDING = "half-up to the cent";

export type Cents = number;

/** Rounds to an integer, .5 away from zero (the ROUNDING convention for a value already in cents). */
export function roundHalfUp(value: number): number {
  return value < 0 ? -Math.floor(-value + 0.5) : Math.floor(value + 0.5);
}

/**
 * `numerator / denominator` of non-negative integers (numerator < 2^53) rounded half-up, exactly.
 */
function divideHalfUp(numerator: number, denominator: number): number {
  let quotient = Math.floor(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  // The float quotient may round up across an integer near 2^53; correct it.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  }
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

/**
 * `cents × factor × … / denominator`, rounded half-up to the cent (sign kept, magnitude rounded).
 * All arguments must be integers and the factors non-negative; the arithmetic is exact (a float
 * product below 2^53 of integers is exact, and every partial product is smaller still).
 */
export function scaleHalfUp(cents: Cents, factors: number[], denominator: number): Cents {
  let product = Math.abs(cents);
  for (const factor of factors) product *= factor;
  let result: number;
  if (product <= Number.MAX_SAFE_INTEGER) {
    result = divideHalfUp(product, denominator);
  } else {
    let big = BigInt(Math.abs(cents));
    for (const factor of factors) big *= BigInt(factor);
    result = Number((big * 2n + BigInt(denominator)) / (BigInt(denominator) * 2n));
  }
  return cents < 0 && result !== 0 ? -result : result;
}

/** `bps` basis points of an amount (100 bps = 1%), exact integer math, rounded half-up to the cent. */
export function percentOf(cents: Cents, bps: number): Cents {
  return scaleHalfUp(cents, [bps], 10_000);
}

const THOUSANDS_WITH_COMMA = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/;
const PLAIN_WITH_COMMA = /^\d+(,\d{1,2})?$/;
const PLAIN_WITH_DOT = /^\d+\.\d{1,2}$/;

/**
 * Reads an amount as Brazilians write it: '1.234,56', '1234,56', '1234.56', 'R$ 1.234,56', '100'
 * (a dot followed by exactly three digits groups thousands). Throws an Error with a pt-BR message
 * on anything else, and on negatives unless `allowNegative`.
 */
export function parseBrazilianAmount(text: string, options: { allowNegative?: boolean } = {}): Cents {
  let rest = text.trim();
  let negative = false;
  if (rest.startsWith("-")) {
    negative = true;
    rest = rest.slice(1).trim();
  }
  if (rest.startsWith("R$")) rest = rest.slice(2).trim();
  if (!negative && rest.startsWith("-")) {
    negative = true;
    rest = rest.slice(1).trim();
  }
  let reais: string;
  let fraction = "";
  if (THOUSANDS_WITH_COMMA.test(rest) || PLAIN_WITH_COMMA.test(rest)) {
    const [whole, decimals] = rest.split(",");
    reais = whole!.replaceAll(".", "");
    fraction = decimals ?? "";
  } else if (PLAIN_WITH_DOT.test(rest)) {
    const [whole, decimals] = rest.split(".");
    reais = whole!;
    fraction = decimals!;
  } else if (/^[\d.,]+$/.test(rest) && /[.,]\d{3,}$/.test(rest)) {
    throw new Error(`valor "${text}" inválido: use no máximo 2 casas decimais (ex.: 1.234,56)`);
  } else {
    throw new Error(`valor "${text}" inválido: use o formato 1.234,56, 1234,56 ou 1234.56`);
  }
  const cents = Number(reais) * 100 + Number(fraction.padEnd(2, "0") || "0");
  if (!Number.isSafeInteger(cents)) throw new Error(`valor "${text}" grande demais`);
  if (negative && cents !== 0 && !options.allowNegative) {
    throw new Error(`valor "${text}" inválido: valores negativos não são aceitos`);
  }
  return negative && cents !== 0 ? -cents : cents;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** 123456 → 'R$ 1.234,56' (negative: '-R$ 1.234,56'). */
export function formatBrl(cents: Cents): string {
  const magnitude = Math.abs(cents);
  const reais = Math.floor(magnitude / 100);
  const rest = magnitude % 100;
  return `${cents < 0 ? "-" : ""}R$ ${groupThousands(String(reais))},${rest < 10 ? "0" : ""}${rest}`;
}

/** 123456 → '1234.56' (the machine form used in Pix payloads and JSON). */
export function centsToDecimal(cents: Cents): string {
  const magnitude = Math.abs(cents);
  const rest = magnitude % 100;
  return `${cents < 0 ? "-" : ""}${Math.floor(magnitude / 100)}.${rest < 10 ? "0" : ""}${rest}`;
}

/** '12.34' → 1234 ('12', '12.3' too). Throws an Error with a pt-BR message on anything else. */
export function decimalToCents(text: string): Cents {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new Error(`valor decimal "${text}" inválido: use ponto e até 2 casas (ex.: 12.34)`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) throw new Error(`valor "${text}" grande demais`);
  return match[1] && cents !== 0 ? -cents : cents;
}
