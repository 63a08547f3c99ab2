import { AppError } from "../shared/errors.ts";

/**
 * PostgreSQL errors that are the caller's doing rather than a bug. A unique key that an insert
 * collides with (SQLSTATE 23505) is a 409 naming the key's field: the detail says
 * `Key (tenant_id, external_id)=(…, ct-1) already exists.`, and the field is the key's last
 * column other than tenant_id, in the API's camelCase. Null for every other error.
 */
export function inputErrorOf(error: unknown): AppError | null {
  const { code, detail } = (error ?? {}) as { code?: unknown; detail?: unknown };
  if (code !== "23505") return null;
  const columns = /^Key \(([^)]*)\)=/.exec(typeof detail === "string" ? detail : "")?.[1];
  const column = columns
    ?.split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "tenant_id")
    .at(-1);
  const field = column?.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return new AppError(
    "conflict",
    field
      ? `${field}: já existe um registro com este valor; use outro ou altere o existente`
      : "já existe um registro com estes dados",
    field,
  );
}
