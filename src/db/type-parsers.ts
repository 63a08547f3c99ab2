/**
 * The one place where database values become JavaScript values, for both drivers.
 * - int8 and numeric arrive as strings from `pg` and as numbers from PGlite; both become numbers
 *   here. Money is integer cents, which stay exact up to 2^53 (about 90 trillion reais), and a
 *   value beyond that throws instead of silently losing cents.
 * - date stays a 'YYYY-MM-DD' string: a due date is a calendar day, not an instant, and turning it
 *   into a Date would shift it by the process time zone.
 */
export const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} is beyond 2^53 and cannot be represented exactly`);
  }
  return value;
}

export function parseNumeric(text: string): number {
  const value = Number(text);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new RangeError(`numeric ${text} is beyond 2^53 and cannot be represented exactly`);
  }
  return value;
}

export function parseDate(text: string): string {
  return text;
}

export const typeParsers: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: parseNumeric,
  [OID.date]: parseDate,
};
