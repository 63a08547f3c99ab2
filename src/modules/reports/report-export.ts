import ExcelJS from "exceljs";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { dashboardReports } from "../../i18n/pt-BR/dashboard-reports.ts";
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

/**
 * The name a downloaded report is saved under, in the words of its title ("Cobranças mais
 * antigas" → relatorio-cobrancas-mais-antigas-2026-11-01-a-2026-11-30.csv): the file a user
 * finds in Downloads says what it is, in Portuguese.
 */
export function reportFileName(table: ReportTable, name: string, extension: string): string {
  const title = dashboardReports.reports[name]?.title ?? name;
  const words = title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `relatorio-${words}-${table.from}-a-${table.to}.${extension}`;
}
