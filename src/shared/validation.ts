import type { z } from "zod";
import { validationError } from "./errors.ts";

/**
 * Validates input at a boundary with a zod schema and returns the parsed value; the first problem
 * becomes an AppError('validation_failed') naming the field as a dotted path (`contacts.0.value`).
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
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
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: issue.path.map(String).join("."),
      message: issue.message,
    })),
  };
}
