import { type RawBuilder, sql } from "kysely";
import { z } from "zod";
import { ZDate } from "../../http/schemas.ts";

/**
 * Glossary: a report is a table of figures the server computes with one set-based query
 * (`<name>.sql.ts`) over the tenant's data for a period, optionally narrowed to the customers of a
 * group or with a tag. Each column has a type that says how it is shown and exported: money is
 * integer cents (a number with the R$ format in XLSX), dates are 'YYYY-MM-DD'.
 */
export const REPORT_NAMES = [
  "summary",
  "detailed",
  "oldest",
  "recovery",
  "message-costs",
  "agreement-breaks",
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type ColumnType = "text" | "date" | "money" | "integer" | "percent";

export interface ReportColumn {
  key: string;
  label: string;
  type: ColumnType;
}

export type ReportCell = string | number | null;
export type ReportRow = Record<string, ReportCell>;

export interface ReportTable {
  name: ReportName;
  title: string;
  description: string;
  from: string;
  to: string;
  /** the day "today" meant for amounts of the day and ages */
  asOf: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** sums of the money and count columns, when adding them up means something */
  totals: ReportRow | null;
}

/** The filters every report takes. */
export interface ReportFilters {
  tenantId: string;
  timeZone: string;
  from: string;
  to: string;
  today: string;
  /** The open-debt rule's overdue cut-off for `today` (overdueCutoffOf): due on or before it is overdue. */
  overdueDueOnOrBefore: string;
  groupId: string | null;
  tag: string | null;
}

export const ZReportQuery = z.object({
  from: ZDate.optional(),
  to: ZDate.optional(),
  /** a customer group's id */
  group: z.uuid({ error: "group: informe o id de um grupo de clientes" }).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  /** recovery: how many days after a message a payment still counts for it (default 7) */
  days: z.coerce
    .number()
    .int()
    .min(1, { error: "days: de 1 a 90" })
    .max(90, { error: "days: de 1 a 90" })
    .default(7),
  format: z.enum(["json", "csv", "xlsx"], { error: "format: use json, csv ou xlsx" }).default("json"),
});
export type TReportQuery = z.output<typeof ZReportQuery>;

/**
 * `and …` conditions that keep the customers in the filters (alias `c`): current members of the
 * group, customers carrying the tag.
 */
export function customerFilter(filters: ReportFilters): RawBuilder<unknown> {
  const group = filters.groupId
    ? sql`and exists (
        select 1 from customer_group_members m
        where m.tenant_id = c.tenant_id and m.customer_id = c.id
          and m.group_id = ${filters.groupId} and m.removed_at is null)`
    : sql``;
  const tag = filters.tag ? sql`and c.tags @> array[${filters.tag}]::text[]` : sql``;
  return sql`${group} ${tag}`;
}
