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

export function nulError(): AppError {
  return new AppError(
    "validation_failed",
    "O pedido contém o caractere nulo (U+0000), que não é aceito em nenhum campo",
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The dotted path of the first text holding a lone UTF-16 surrogate (`"\ud800"` in JSON), which
 * no UTF-8 column can store; null when every text is well formed.
 */
export function illFormedTextPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path.join(".") : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = illFormedTextPath(inner, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

export function illFormedTextError(field: string): AppError {
  return new AppError(
    "validation_failed",
    `${field || "corpo"}: caractere inválido (metade de um par UTF-16, \\ud800–\\udfff, sem a outra); envie o texto em UTF-8 válido`,
    field || undefined,
  );
}
