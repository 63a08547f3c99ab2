import type { z } from "zod";
import { AppError } from "../shared/errors.ts";
import { predicateOf } from "../shared/validation.ts";

/**
 * Parses input at the HTTP boundary; the first problem becomes a 400 whose `field` is the dotted
 * path (`contacts.0.value`) and whose message names that field in pt-BR.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const generated = new Set<string>();
  const result = schema.safeParse(input, {
    error: (issue) => {
      const predicate = predicateOf(issue);
      generated.add(predicate);
      return predicate;
    },
  });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  const field = path.map(String).join(".");
  const message = generated.has(issue.message)
    ? field
      ? `O campo "${field}" ${issue.message}.`
      : `O corpo do pedido ${issue.message}.`
    : field
      ? `${field}: ${issue.message}`
      : issue.message;
  throw new AppError("validation_failed", message, field || undefined);
}

/** PostgreSQL text cannot hold U+0000: it is refused at the door rather than failing deep inside. */
export function hasNul(text: string): boolean {
  return text.includes("\u0000") || text.includes("\\u0000");
}

export function nulError(field?: string): AppError {
  return new AppError(
    "validation_failed",
    field
      ? `${field}: contém o caractere nulo (U+0000), que não é aceito em nenhum campo`
      : "O pedido contém o caractere nulo (U+0000), que não é aceito em nenhum campo",
    field || undefined,
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first text no column can store — a lone UTF-16 surrogate (`"\ud800"` in JSON) or U+0000 —
 * as the AppError naming its dotted path; null when every text is well formed.
 */
export function badTextError(value: unknown, path: string[] = []): AppError | null {
  if (typeof value === "string") {
    const field = path.join(".");
    if (value.includes("\u0000")) return nulError(field);
    if (LONE_SURROGATE.test(value))
      return new AppError(
        "validation_failed",
        `${field || "corpo"}: caractere inválido (metade de um par UTF-16, \\ud800–\\udfff, sem a outra); envie o texto em UTF-8 válido`,
        field || undefined,
      );
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = badTextError(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}
