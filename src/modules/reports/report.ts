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
  /** recovery, summary: customers whose changes their rollup had not taken in when the budget ran out */
  pendingCustomers?: number;
}

/**
 * What the recovery report can be grouped by. `segment` is the customer's kind (person or
 * company: the segment every policy can select on and the payment model reads); `policy` the régua
 * that planned the message; `step` its step (D-5, D+6…); `channel`; `band` the invoice's score band
 * (`low`, `medium`, `high` from `bandOf` in src/domain/payment-model.ts, `unscored` when it never
 * had a score); `phase` `pre_due` for a step on or before the due date (offset ≤ 0), `post_due`
 * after it.
 */
export const RECOVERY_DIMENSIONS = ["segment", "policy", "step", "channel", "band", "phase"] as const;
export type RecoveryDimension = (typeof RECOVERY_DIMENSIONS)[number];

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
  /** recovery: what to group by, comma separated (default step,channel) */
  groupBy: z
    .string()
    .trim()
    .default("step,channel")
    .describe(
      "recovery: agrupamentos separados por vírgula, entre segment, policy, step, channel, band e phase (padrão step,channel); vazio = uma linha com o total",
    )
    .transform((text, context) => {
      const names = text === "" ? [] : text.split(",").map((name) => name.trim());
      const unknown = names.filter((name) => !(RECOVERY_DIMENSIONS as readonly string[]).includes(name));
      if (unknown.length > 0) {
        context.addIssue({
          code: "custom",
          message: `"${unknown.join(", ")}" não é um agrupamento; use ${RECOVERY_DIMENSIONS.join(", ")}, separados por vírgula`,
        });
        return z.NEVER;
      }
      return [...new Set(names)] as RecoveryDimension[];
    }),
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
