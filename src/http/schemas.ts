import { z } from "zod";
import { isPlausibleDate, PLAUSIBLE_DATE_MESSAGE } from "../shared/brazilian-fields.ts";

/** Path parameters shared by resource routes; a malformed id answers 404 (see api.ts). */
export const ZIdParams = z.object({ id: z.uuid() });

/**
 * A calendar date at the HTTP boundary ('YYYY-MM-DD', a day that exists), within the years the
 * product can reason about (boleto due factors, business calendars): 1900 to 2199.
 */
export const ZDate = z.iso.date().refine(isPlausibleDate, { error: PLAUSIBLE_DATE_MESSAGE });
