import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { validationError } from "../../shared/errors.ts";

/**
 * Reads an import file: UTF-8 (a BOM is tolerated, anything else that is not UTF-8 is refused),
 * comma or semicolon separated (detected from the header line, since Brazilian spreadsheets save
 * with ';'), header names case-insensitive. Rows come back as records keyed by the lower-case
 * header; a row with the wrong number of fields is reported, not guessed.
 */
export interface ParsedCsv {
  header: string[];
  rows: Record<string, string>[];
  /** Rows whose field count differs from the header's, by 1-based data row. */
  malformed: { row: number; message: string }[];
}

export function readCsvFile(path: string): ParsedCsv {
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw validationError(
      "arquivo",
      `o arquivo ${path} não está em UTF-8; salve-o como "CSV UTF-8" e tente de novo`,
    );
  }
  return parseCsvText(text);
}

export function detectDelimiter(headerLine: string): "," | ";" {
  const semicolons = headerLine.split(";").length - 1;
  const commas = headerLine.split(",").length - 1;
  return semicolons > commas ? ";" : ",";
}

export function parseCsvText(text: string): ParsedCsv {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = withoutBom.slice(0, withoutBom.search(/\r?\n|$/));
  if (firstLine.trim() === "")
    throw validationError("arquivo", "o arquivo está vazio ou não tem cabeçalho na primeira linha");
  let records: string[][];
  try {
    records = parse(withoutBom, {
      delimiter: detectDelimiter(firstLine),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw validationError("arquivo", `CSV malformado: ${(error as Error).message}`);
  }
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
  return { header, rows, malformed };
}
