import type { z } from "zod";
import { validationError } from "./errors.ts";

/**
 * Validates input at a boundary with a zod schema and returns the parsed value; the first problem
 * becomes an AppError('validation_failed') naming the field as a dotted path (`contacts.0.value`).
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input, { error: predicateOf });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".") || "entrada";
  throw validationError(field, `${field}: ${issue.message}`);
}

/** Every problem of an input as (field, message) pairs, for reports that list them all (CSV import). */
export function listIssues<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { ok: true; value: z.output<Schema> } | { ok: false; issues: { field: string; message: string }[] } {
  const result = schema.safeParse(input, { error: predicateOf });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: issue.path.map(String).join("."),
      message: issue.message,
    })),
  };
}

const TYPE_NAMES: Record<string, string> = {
  string: "um texto",
  number: "um número",
  int: "um número inteiro",
  boolean: "verdadeiro ou falso (true/false)",
  object: "um objeto JSON",
  array: "uma lista",
  date: "uma data",
  bigint: "um número inteiro",
  null: "null",
};

const FORMAT_NAMES: Record<string, string> = {
  email: "um e-mail válido (nome@dominio.com.br)",
  uuid: "um identificador UUID",
  url: "uma URL (https://…)",
  date: "uma data AAAA-MM-DD existente",
  datetime: "um instante ISO 8601 (2026-12-31T13:00:00Z)",
  regex: "o formato esperado",
};

/**
 * The pt-BR predicate for one of zod's built-in issues ("é obrigatório", "deve ser um número").
 * Passed as a per-parse error map, so messages written in a schema (`{ error: "…" }`) still win.
 */
export function predicateOf(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "é obrigatório";
      return `deve ser ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string")
        return min <= 1 ? "não pode ficar vazio" : `deve ter ao menos ${min} caracteres`;
      if (issue.origin === "array") return `deve ter ao menos ${min} item(ns)`;
      return `deve ser ${issue.inclusive ? "maior ou igual a" : "maior que"} ${min}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `deve ter no máximo ${max} caracteres`;
      if (issue.origin === "array") return `deve ter no máximo ${max} item(ns)`;
      return `deve ser ${issue.inclusive ? "menor ou igual a" : "menor que"} ${max}`;
    }
    case "invalid_format":
      return `deve ser ${FORMAT_NAMES[issue.format] ?? `no formato ${issue.format}`}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `deve ser ${JSON.stringify(issue.values[0])}`
        : `deve ser um de: ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "unrecognized_keys":
      return "não existe; confira a grafia (os campos são camelCase, como dueDate)";
    case "not_multiple_of":
      return `deve ser múltiplo de ${String(issue.divisor)}`;
    case "invalid_union":
      return "não está em nenhum dos formatos aceitos";
    default:
      return "é inválido";
  }
}
