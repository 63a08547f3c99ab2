/**
 * One error type for the whole product. `code` is stable and documented; the HTTP layer maps it
 * to a status with `httpStatusOf`, the CLI prints `message`. Messages are written for the person
 * who sent the input: they name the field, what is wrong with it and, where it helps, the fix.
 */
export const ERROR_CODES = {
  validation_failed: 400,
  invalid_transition: 409,
  conflict: 409,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  database_locked: 423,
  internal: 500,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, as a dotted path (`contacts.0.value`), when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.field = field;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function validationError(field: string, message: string): AppError {
  return new AppError("validation_failed", message, field);
}

export function notFound(what: string, id: string): AppError {
  return new AppError("not_found", `${what} ${id} não encontrado(a)`);
}
