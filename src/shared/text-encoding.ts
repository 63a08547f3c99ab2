import { validationError } from "./errors.ts";

/**
 * Glossary: the charset of a text file is how its bytes become letters. Brazilian Excel saves CSV
 * in Windows-1252 (a superset of Latin-1) unless told "CSV UTF-8", which adds a BOM; other tools
 * write plain UTF-8. Imports read all three, from a declared charset (`text/csv; charset=…`,
 * `regua import --encoding …`) or, when none is declared, by detection: a BOM or bytes that are
 * valid UTF-8 mean UTF-8 (Windows-1252 text with accents is almost never valid UTF-8), anything
 * else is Windows-1252. Bytes that are invalid in the charset are refused with the line they are
 * on, so that "Jo�o" is never stored in place of "João".
 */
export type TextCharset = "utf-8" | "windows-1252";

const CHARSET_LABELS: Record<string, TextCharset> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "x-cp1252": "windows-1252",
  "iso-8859-1": "windows-1252",
  "iso8859-1": "windows-1252",
  "iso_8859-1": "windows-1252",
  latin1: "windows-1252",
  "latin-1": "windows-1252",
  "us-ascii": "utf-8",
  ascii: "utf-8",
};

/** Bytes Windows-1252 leaves undefined: a file with them is not Windows-1252 text. */
const WINDOWS_1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** The charset a label names, or an error naming `field` that lists the ones understood. */
export function charsetFromLabel(label: string, field: string): TextCharset {
  const charset = CHARSET_LABELS[label.trim().toLowerCase().replace(/^"|"$/g, "")];
  if (!charset)
    throw validationError(
      field,
      `${field}: codificação '${label}' desconhecida; use utf-8 ou windows-1252 (latin1, iso-8859-1)`,
    );
  return charset;
}

/** The `charset` parameter of a Content-Type header, when there is one. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? "");
  return match?.[2];
}

/**
 * Decodes a text file's bytes in the declared charset (or the detected one, see the glossary),
 * without a BOM. Invalid bytes, and replacement characters already in the file, are refused with
 * an AppError naming `field` and the line.
 */
export function decodeText(bytes: Uint8Array, declared: TextCharset | undefined, field: string): string {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const charset = declared ?? (hasBom || isUtf8(bytes) ? "utf-8" : "windows-1252");
  const text = charset === "utf-8" ? decodeUtf8(bytes, field) : decodeWindows1252(bytes, field);
  const replacement = text.indexOf("\uFFFD");
  if (replacement >= 0)
    throw validationError(
      field,
      `${field}: a linha ${lineAt(text, replacement)} contém o caractere de substituição (�): o arquivo já foi salvo com letras perdidas; corrija-as na origem`,
    );
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw validationError(
      field,
      `${field}: a linha ${lineOfByte(bytes, at)} tem bytes que não são UTF-8; salve como "CSV UTF-8" ou declare a codificação (charset=windows-1252)`,
    );
  }
}

function decodeWindows1252(bytes: Uint8Array, field: string): string {
  const undefinedAt = bytes.findIndex((byte) => WINDOWS_1252_UNDEFINED.has(byte));
  if (undefinedAt >= 0)
    throw validationError(
      field,
      `${field}: a linha ${lineOfByte(bytes, undefinedAt)} tem um byte (0x${bytes[undefinedAt]!.toString(16)}) que não existe em Windows-1252; confira a codificação do arquivo`,
    );
  return new TextDecoder("windows-1252", { fatal: true }).decode(bytes);
}

/** The offset of the first byte that breaks UTF-8 (a binary search over strict decodes of prefixes). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // the longest prefix that decodes (allowing a sequence cut at the end) ends where the fault is
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    try {
      // streaming: a sequence cut at the end of the prefix is not an error, a wrong byte is
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  return low;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < bytes.length; index += 1)
    if (bytes[index] === 0x0a) line += 1;
  return line;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}
