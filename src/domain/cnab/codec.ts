import { type IsoDate, isIsoDate } from "../dates.ts";
import type { FieldSpec, RecordSpec } from "./layout.ts";

/**
 * The one CNAB reader and writer: a record is a map of field values read from or written to the
 * positions its `RecordSpec` gives. Nothing here knows a bank; the layouts are data.
 */

export type FieldValue = string | number | null;
export type RecordValues = Record<string, FieldValue>;

export class CnabFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CnabFieldError";
  }
}

/** True when every constant of the record is where the spec says. */
export function recordMatches(spec: RecordSpec, line: string): boolean {
  for (const constant of constantsOf(spec)) if (!line.startsWith(constant.text, constant.at)) return false;
  return true;
}

/**
 * The constants a record is recognised by, formatted once per spec: every line of a file is
 * tried against a few specs, and formatting them again for each line was a tenth of a return
 * file's parse.
 */
const constants = new WeakMap<RecordSpec, { at: number; text: string }[]>();
function constantsOf(spec: RecordSpec): { at: number; text: string }[] {
  let found = constants.get(spec);
  if (!found) {
    found = spec.fields
      .filter((field) => field.value !== undefined && !field.writeOnly)
      .map((field) => ({ at: field.start - 1, text: formatField(field, field.value!) }));
    constants.set(spec, found);
  }
  return found;
}

/** Reads every field of a record; throws CnabFieldError naming the field when one cannot be read. */
export function readRecord(spec: RecordSpec, line: string): RecordValues {
  const values: RecordValues = {};
  for (const field of spec.fields)
    values[field.name] = readField(field, line.slice(field.start - 1, field.end));
  return values;
}

function readField(field: FieldSpec, raw: string): FieldValue {
  switch (field.type) {
    case "alpha":
      return raw.trimEnd().trimStart();
    case "num":
      if (!/^[\d ]*$/.test(raw)) throw fieldError(field, raw, "não é numérico");
      return raw.trim();
    case "cents": {
      if (/^ *$/.test(raw)) return 0;
      if (!/^\d+$/.test(raw)) throw fieldError(field, raw, "não é um valor numérico");
      const cents = Number(raw);
      if (!Number.isSafeInteger(cents)) throw fieldError(field, raw, "valor grande demais");
      return cents;
    }
    case "date":
    case "date6":
      return readDate(field, raw);
  }
}

function readDate(field: FieldSpec, raw: string): IsoDate | null {
  if (/^[0 ]*$/.test(raw)) return null;
  if (!/^\d+$/.test(raw)) throw fieldError(field, raw, "não é uma data DDMMAAAA");
  const day = raw.slice(0, 2);
  const month = raw.slice(2, 4);
  // CNAB 400 years have two digits: 00–69 are 2000–2069, 70–99 are 1970–1999
  const year =
    field.type === "date6"
      ? `${Number(raw.slice(4, 6)) < 70 ? "20" : "19"}${raw.slice(4, 6)}`
      : raw.slice(4, 8);
  const iso = `${year}-${month}-${day}`;
  if (!isIsoDate(iso)) throw fieldError(field, raw, "não é uma data válida");
  return iso;
}

function fieldError(field: FieldSpec, raw: string, why: string): CnabFieldError {
  return new CnabFieldError(`campo ${field.name} (posições ${field.start}–${field.end}) "${raw}" ${why}`);
}

/**
 * Writes a record of `width` characters: unnamed positions are blanks, missing numbers zeros. The
 * fields are laid end to end in position order (a plan kept per spec), so a long file is written
 * by string concatenation rather than character by character.
 */
export function writeRecord(
  spec: RecordSpec,
  values: RecordValues,
  width: number,
  /** values every record of the file shares (account, line numbers), looked up after `values` */
  shared?: RecordValues,
): string {
  let line = "";
  for (const field of planOf(spec)) {
    if (field.start - 1 > line.length) line += " ".repeat(field.start - 1 - line.length);
    const key = field.source ?? field.name;
    line += formatField(field, field.value ?? values[key] ?? shared?.[key] ?? null);
  }
  return line.length < width ? line + " ".repeat(width - line.length) : line;
}

const plans = new WeakMap<RecordSpec, FieldSpec[]>();
function planOf(spec: RecordSpec): FieldSpec[] {
  let plan = plans.get(spec);
  if (!plan) {
    plan = [...spec.fields].sort((a, b) => a.start - b.start);
    for (let index = 1; index < plan.length; index += 1) {
      if (plan[index]!.start <= plan[index - 1]!.end) {
        throw new CnabFieldError(
          `layout: campos ${plan[index - 1]!.name} e ${plan[index]!.name} se sobrepõem`,
        );
      }
    }
    plans.set(spec, plan);
  }
  return plan;
}

function formatField(field: FieldSpec, given: FieldValue): string {
  const width = field.end - field.start + 1;
  switch (field.type) {
    case "alpha":
      return fitWidth(field, plainUpper(given === null ? "" : String(given)), width, "left");
    case "num": {
      let text = given === null ? "" : String(given);
      if (field.withoutCheckDigit && text.length > 0) text = text.slice(0, -1);
      if (!/^\d*$/.test(text)) throw new CnabFieldError(`campo ${field.name}: "${text}" não é numérico`);
      return fitWidth(field, text.replace(/^0+(?=\d)/, ""), width, "right", "0");
    }
    case "cents": {
      const cents = given === null ? 0 : Number(given);
      if (!Number.isSafeInteger(cents) || cents < 0)
        throw new CnabFieldError(`campo ${field.name}: valor ${given} inválido`);
      return fitWidth(field, String(cents), width, "right", "0");
    }
    case "date":
    case "date6": {
      if (given === null || given === "") return "0".repeat(width);
      const text = String(given);
      if (!isIsoDate(text)) throw new CnabFieldError(`campo ${field.name}: data ${text} inválida`);
      const [year, month, day] = text.split("-");
      return `${day}${month}${field.type === "date6" ? year!.slice(2) : year}`;
    }
  }
}

function fitWidth(
  field: FieldSpec,
  text: string,
  width: number,
  align: "left" | "right",
  fill = " ",
): string {
  if (text.length > width) {
    if (align === "left") return text.slice(0, width);
    throw new CnabFieldError(`campo ${field.name}: "${text}" não cabe em ${width} posições`);
  }
  return align === "left" ? text.padEnd(width, fill) : text.padStart(width, fill);
}

/** CNAB files carry plain upper-case ASCII: accents are dropped, other characters become blanks. */
export function plainUpper(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text.toUpperCase();
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^\x20-\x7e]/g, " ");
}
