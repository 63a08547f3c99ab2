import { z } from "zod";

/** Path parameters shared by resource routes; a malformed id answers 404 (see api.ts). */
export const ZIdParams = z.object({ id: z.uuid() });

/**
 * A calendar date at the HTTP boundary ('YYYY-MM-DD', a day that exists), within the years the
 * product can reason about (boleto due factors, business calendars): 1900 to 2199.
 */
export const ZDate = z.iso.date().refine((date) => date >= "1900-01-01" && date <= "2199-12-31", {
  error: "use uma data entre 1900 e 2199",
});
