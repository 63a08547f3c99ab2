import { z } from "zod";
import { AppError } from "../shared/errors.ts";

/**
 * Cursor pagination: a list answers `{ data, next_cursor }`; `next_cursor` is opaque (base64url of
 * the last row's sort key) and null on the last page. Cursors survive inserts, unlike offsets.
 */
export const MAX_PAGE_SIZE = 200;

export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(500).optional(),
});

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The sort key inside a cursor; anything that did not come from us is a 400 on `cursor`. */
export function decodeCursor(cursor: string, shape: readonly ("string" | "number")[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = null;
  }
  if (
    !Array.isArray(key) ||
    key.length !== shape.length ||
    key.some((value, index) => typeof value !== shape[index])
  ) {
    throw new AppError(
      "validation_failed",
      "cursor inválido: use o next_cursor da página anterior, sem alterá-lo",
      "cursor",
    );
  }
  return key as (string | number)[];
}

/** Builds a page from `limit + 1` rows: the extra row only says that there is a next page. */
export function pageOf<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  keyOf: (row: Row) => readonly (string | number)[],
): Page<T> {
  const hasMore = rows.length > limit;
  const visible = hasMore ? rows.slice(0, limit) : rows;
  const last = visible[visible.length - 1];
  return { data: visible.map(map), next_cursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
