import { z } from "zod";
import { isState } from "../domain/brazil.ts";
import { isIsoDate } from "../domain/dates.ts";
import { validateDocument } from "../domain/documents.ts";

/**
 * Zod field schemas for Brazilian values, shared by every boundary (services, CSV import, HTTP),
 * so a CPF or a UF is validated and normalised the same way wherever it enters.
 */

/** A CPF or CNPJ (numeric or alphanumeric), any punctuation; normalised to digits/letters only. */
export const ZDocument = z.string().transform((value, context) => {
  const result = validateDocument(value);
  if (!result.valid) {
    context.addIssue({ code: "custom", message: result.error });
    return z.NEVER;
  }
  return result.normalized;
});

/** A UF such as 'SP' (case-insensitive on input, upper case out). */
export const ZState = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine(isState, { error: "UF desconhecida; use a sigla de duas letras, como SP ou RJ" });

/**
 * The years the product can reason about (boleto due factors, business calendars, PostgreSQL has
 * no year 0): a date outside them is a typo, refused at the boundary rather than deep in the SQL.
 */
export const FIRST_PLAUSIBLE_DATE = "1900-01-01";
export const LAST_PLAUSIBLE_DATE = "2199-12-31";

export function isPlausibleDate(date: string): boolean {
  return date >= FIRST_PLAUSIBLE_DATE && date <= LAST_PLAUSIBLE_DATE;
}

export const PLAUSIBLE_DATE_MESSAGE = "ano fora do intervalo aceito; use uma data entre 1900 e 2199";

/** A calendar day 'YYYY-MM-DD' that exists, between 1900 and 2199. */
export const ZIsoDate = z
  .string()
  .refine(isIsoDate, { error: "data inválida; use AAAA-MM-DD com um dia que exista", abort: true })
  .refine(isPlausibleDate, { error: PLAUSIBLE_DATE_MESSAGE });

/**
 * An e-mail address as mail servers take it (RFC 5321: local part ≤ 64, whole ≤ 254 characters),
 * trimmed and in lower case.
 */
export const ZEmail = z
  .string()
  .trim()
  .max(254, { error: "e-mail longo demais (no máximo 254 caracteres)" })
  .refine((email) => email.split("@")[0]!.length <= 64, {
    error: "a parte antes do @ tem no máximo 64 caracteres",
    abort: true,
  })
  .pipe(z.email({ error: "e-mail inválido (ex.: ana@credora.com.br)" }))
  .transform((email) => email.toLowerCase());

/** An IANA time zone the runtime knows ('America/Sao_Paulo'). */
export const ZTimeZone = z.string().refine(isTimeZone, {
  error: "fuso horário desconhecido; use um nome IANA como America/Sao_Paulo",
});

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A rate in basis points (1% = 100), between 0 and 100%. */
export const ZBasisPoints = z
  .number()
  .int({ error: "use um inteiro em pontos-base (1% = 100)" })
  .min(0, { error: "não pode ser negativo" })
  .max(10_000, { error: "não pode passar de 100% (10000 pontos-base)" });

/** Integer cents, strictly positive. */
export const ZPositiveCents = z
  .number()
  .int({ error: "use centavos inteiros" })
  .positive({ error: "deve ser maior que zero" })
  .max(Number.MAX_SAFE_INTEGER, { error: "valor grande demais" });
