import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { validationError } from "../../shared/errors.ts";
import { charsetFromLabel, decodeText } from "../../shared/text-encoding.ts";

/**
 * Reads an import file: UTF-8 (with or without a BOM) or Windows-1252/Latin-1, declared or detected
 * (src/shared/text-encoding.ts), bytes invalid in that charset refused with their line,
 * comma or semicolon separated (detected from the header line, since Brazilian spreadsheets save
 * with ';'), header names case-insensitive. Rows come back as records keyed by the lower-case
 * header; a row with the wrong number of fields is reported, not guessed.
 */
export interface ParsedCsv {
  header: string[];
  rows: Record<string, string>[];
  /** The file line (header = 1) each row starts on, by 0-based row index. */
  lines: number[];
  /** Rows whose field count differs from the header's, by 1-based data row. */
  malformed: { row: number; message: string }[];
}

export function readCsvFile(path: string, encoding?: string): ParsedCsv {
  const charset = encoding === undefined ? undefined : charsetFromLabel(encoding, "encoding");
  return parseCsvText(decodeText(readFileSync(path), charset, "arquivo"));
}

export function detectDelimiter(headerLine: string): "," | ";" {
  const semicolons = headerLine.split(";").length - 1;
  const commas = headerLine.split(",").length - 1;
  return semicolons > commas ? ";" : ",";
}

export function parseCsvText(text: string): ParsedCsv {
  // one line ending, so that the parser's line count is the one a spreadsheet shows
  const withoutBom = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, "\n");
  const firstLine = withoutBom.slice(0, withoutBom.search(/\r?\n|$/));
  if (firstLine.trim() === "")
    throw validationError("arquivo", "o arquivo está vazio ou não tem cabeçalho na primeira linha");
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(withoutBom, {
      delimiter: detectDelimiter(firstLine),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw validationError("arquivo", `CSV malformado: ${(error as Error).message}`);
  }
  const records = parsed.map((entry) => entry.record);
  // the parser counts the line a record ends on; a quoted field may span several
  const startLines = parsed.map(
    (entry) => entry.info.lines - entry.record.reduce((sum, field) => sum + field.split("\n").length - 1, 0),
  );
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const rows: Record<string, string>[] = [];
  const malformed: ParsedCsv["malformed"] = [];
  for (let index = 1; index < records.length; index += 1) {
    const fields = records[index]!;
    if (fields.length !== header.length) {
      malformed.push({
        row: index,
        message: `a linha tem ${fields.length} campos e o cabeçalho ${header.length}; confira o separador e as aspas`,
      });
    }
    const row: Record<string, string> = {};
    for (let column = 0; column < header.length; column += 1) row[header[column]!] = fields[column] ?? "";
    rows.push(row);
  }
  return { header, rows, lines: startLines.slice(1), malformed };
}
