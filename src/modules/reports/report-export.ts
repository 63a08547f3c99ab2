import ExcelJS from "exceljs";
import { formatBrazilianDate } from "../../domain/dates.ts";
import type { ReportCell, ReportColumn, ReportTable } from "./report.ts";

/**
 * CSV for Brazilian Excel: Excel in pt-BR reads ";" as the separator (the comma is the decimal
 * mark), so fields are separated by ";", money is written with a decimal comma and no thousands
 * mark (1234,56), dates as dd/mm/aaaa, percentages as 12,34. UTF-8 with a byte order mark, without
 * which Excel reads the accents as Latin-1. Quoting and CRLF line ends per RFC 4180.
 */
export const CSV_SEPARATOR = ";";

function isIsoDate(value: ReportCell): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function csvText(column: ReportColumn, value: ReportCell): string {
  if (value === null) return "";
  if (column.type === "money" && typeof value === "number") return (value / 100).toFixed(2).replace(".", ",");
  if (column.type === "percent" && typeof value === "number")
    return (value / 100).toFixed(2).replace(".", ",");
  if (column.type === "date" && isIsoDate(value)) return formatBrazilianDate(value);
  return String(value);
}

function csvField(text: string): string {
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(table: ReportTable): Buffer {
  const lines = [table.columns.map((column) => csvField(column.label)).join(CSV_SEPARATOR)];
  const rows = table.totals ? [...table.rows, table.totals] : table.rows;
  for (const row of rows) {
    lines.push(
      table.columns.map((column) => csvField(csvText(column, row[column.key] ?? null))).join(CSV_SEPARATOR),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8")]);
}

const MONEY_FORMAT = '"R$" #,##0.00;-"R$" #,##0.00';
const DATE_FORMAT = "dd/mm/yyyy";

/**
 * XLSX: money as numbers in reais with the R$ format (so they add up in Excel), dates as real
 * dates (midnight UTC of the day, shown dd/mm/aaaa), percentages as fractions with the % format;
 * a bold heading row frozen at the top, and the totals row in bold.
 */
export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Régua";
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = table.columns.map((column) => ({
    header: column.label,
    key: column.key,
    width: column.type === "text" ? 28 : 16,
    style:
      column.type === "money"
        ? { numFmt: MONEY_FORMAT }
        : column.type === "date"
          ? { numFmt: DATE_FORMAT }
          : column.type === "percent"
            ? { numFmt: "0.00%" }
            : {},
  }));
  sheet.getRow(1).font = { bold: true };
  const cellValue = (column: ReportColumn, value: ReportCell) => {
    if (value === null) return null;
    if (column.type === "money" && typeof value === "number") return value / 100;
    if (column.type === "percent" && typeof value === "number") return value / 10000;
    if (column.type === "date" && isIsoDate(value)) return new Date(`${value}T00:00:00Z`);
    return value;
  };
  for (const row of table.rows) {
    sheet.addRow(
      Object.fromEntries(
        table.columns.map((column) => [column.key, cellValue(column, row[column.key] ?? null)]),
      ),
    );
  }
  if (table.totals) {
    const totals = table.totals;
    const added = sheet.addRow(
      Object.fromEntries(
        table.columns.map((column) => [column.key, cellValue(column, totals[column.key] ?? null)]),
      ),
    );
    added.font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
