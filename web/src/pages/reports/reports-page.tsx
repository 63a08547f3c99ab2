import { type FormEvent, useState } from "react";
import type { ReplicaLag } from "../../../../src/http/replica-lag.ts";
import { dashboardReports as text } from "../../../../src/i18n/pt-BR/dashboard-reports.ts";
import { query } from "../../app/api.ts";
import { ReplicaLagNotice } from "../../app/components/replica-lag.tsx";
import { ScrollRegion } from "../../app/components/scroll-region.tsx";
import { formatCents, formatCount, formatDate, formatRatio } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";

/** The report's caption names its table's scroll box (one report table per page). */
const CAPTION_ID = "report-table-caption";

type Cell = string | number | null;

interface ReportColumn {
  key: string;
  label: string;
  type: "text" | "date" | "money" | "integer" | "percent";
}

interface ReportTable extends ReplicaLag {
  name: string;
  title: string;
  description: string;
  from: string;
  to: string;
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  totals: Record<string, Cell> | null;
}

interface Filters {
  report: string;
  from: string;
  to: string;
  group: string;
  tag: string;
  days: string;
  /** recovery: the groupings, in the order chosen */
  groupBy: string[];
}

/** The recovery report's groupings, in the order the API names them. */
const RECOVERY_GROUPS = ["segment", "policy", "step", "channel", "band", "phase"];

const REPORTS = ["summary", "detailed", "oldest", "recovery", "message-costs", "agreement-breaks"];

function show(column: ReportColumn, value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (column.type === "money") return formatCents(value);
    if (column.type === "percent") return formatRatio(value / 10000);
    return formatCount(value);
  }
  // a period is a month (its first day): "10/2026"
  if (column.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return column.key === "period" ? formatDate(value).slice(3) : formatDate(value);
  return value;
}

function numeric(column: ReportColumn): boolean {
  return column.type !== "text" && column.type !== "date";
}

/** The reports: pick one, set the period and filters, read the table, download it. */
export function ReportsPage() {
  usePageTitle(text.pageTitle);
  const [draft, setDraft] = useState<Filters>({
    report: "summary",
    from: "",
    to: "",
    group: "",
    tag: "",
    days: "7",
    groupBy: ["step", "channel"],
  });
  const [applied, setApplied] = useState<Filters>(draft);
  const groups = useApiData<{ data: { id: string; name: string }[] }>("/v1/groups");
  const parameters = {
    from: applied.from,
    to: applied.to,
    group: applied.group,
    tag: applied.tag,
    days: applied.report === "recovery" ? applied.days : undefined,
    groupBy: applied.report === "recovery" ? applied.groupBy.join(",") : undefined,
  };
  const path = `/v1/reports/${applied.report}${query(parameters)}`;
  const loaded = useApiData<ReportTable>(path);
  const exportHref = (format: "csv" | "xlsx") =>
    `/v1/reports/${applied.report}${query({ ...parameters, format })}`;

  const update = (field: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((previous) => ({ ...previous, [field]: event.target.value }));
  // at least one grouping stays chosen: the report with none is its total row alone
  const toggleGroup = (name: string) => (event: { target: { checked: boolean } }) => {
    const { checked } = event.target;
    setDraft((previous) => ({
      ...previous,
      groupBy: checked ? [...previous.groupBy, name] : previous.groupBy.filter((chosen) => chosen !== name),
    }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };

  return (
    <section className="reports">
      <h1>{text.pageTitle}</h1>
      <p>{text.intro}</p>
      <form className="card filters" onSubmit={submit}>
        <fieldset>
          <legend>{text.filters.legend}</legend>
          <div className="filter-grid">
            <label>
              {text.filters.report}
              <select
                value={draft.report}
                onChange={(event) => {
                  const report = event.target.value;
                  setDraft((previous) => ({ ...previous, report }));
                  setApplied((previous) => ({ ...previous, report }));
                }}
              >
                {REPORTS.map((name) => (
                  <option key={name} value={name}>
                    {text.reports[name]?.title ?? name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {text.filters.from}
              <input type="date" value={draft.from} onChange={update("from")} />
            </label>
            <label>
              {text.filters.to}
              <input type="date" value={draft.to} onChange={update("to")} />
            </label>
            <label>
              {text.filters.group}
              <select value={draft.group} onChange={update("group")}>
                <option value="">{text.filters.anyGroup}</option>
                {(groups.data?.data ?? []).map((group) => (
                  <option key={group.id} value={group.id}>
                    {group.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {text.filters.tag}
              <input type="text" value={draft.tag} onChange={update("tag")} aria-describedby="tag-hint" />
              <small id="tag-hint">{text.filters.tagHint}</small>
            </label>
            {draft.report === "recovery" ? (
              <label>
                {text.filters.days}
                <input type="number" min={1} max={90} value={draft.days} onChange={update("days")} />
              </label>
            ) : null}
          </div>
          {draft.report === "recovery" ? (
            <fieldset className="group-by" data-testid="recovery-group-by">
              <legend>{text.filters.groupBy}</legend>
              {RECOVERY_GROUPS.map((name) => (
                <label key={name}>
                  <input
                    type="checkbox"
                    checked={draft.groupBy.includes(name)}
                    disabled={draft.groupBy.length === 1 && draft.groupBy.includes(name)}
                    onChange={toggleGroup(name)}
                  />
                  {text.recoveryGroups[name]}
                </label>
              ))}
            </fieldset>
          ) : null}
          <button type="submit">{text.filters.apply}</button>
        </fieldset>
      </form>
      <nav className="export-bar" aria-label={text.export.legend}>
        <a className="button" href={exportHref("csv")} download>
          {text.export.csv}
        </a>
        <a className="button" href={exportHref("xlsx")} download>
          {text.export.xlsx}
        </a>
        <a className="button" href="/v1/dashboard/panel.pdf" download>
          {text.export.panelPdf}
        </a>
      </nav>
      <WhenLoaded loaded={loaded}>
        {(table) => (
          <>
            <ReplicaLagNotice lag={table} />
            <p>{table.description}</p>
            <ScrollRegion labelledBy={CAPTION_ID}>
              <table>
                <caption id={CAPTION_ID}>
                  {text.tableCaption(table.title, formatDate(table.from), formatDate(table.to))}
                </caption>
                <thead>
                  <tr>
                    {table.columns.map((column) => (
                      <th key={column.key} scope="col" className={numeric(column) ? "number" : undefined}>
                        {column.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.length === 0 ? (
                    <tr>
                      <td colSpan={table.columns.length}>{text.empty}</td>
                    </tr>
                  ) : (
                    table.rows.map((row, index) => (
                      // rows have no id of their own; their order is the report's
                      // biome-ignore lint/suspicious/noArrayIndexKey: see above
                      <tr key={index}>
                        {table.columns.map((column) => (
                          <td key={column.key} className={numeric(column) ? "number" : undefined}>
                            {show(column, row[column.key] ?? null)}
                          </td>
                        ))}
                      </tr>
                    ))
                  )}
                </tbody>
                {table.totals && table.rows.length > 0 ? (
                  <tfoot>
                    <tr>
                      {table.columns.map((column, index) =>
                        index === 0 ? (
                          <th key={column.key} scope="row">
                            {text.total}
                          </th>
                        ) : (
                          <td key={column.key} className={numeric(column) ? "number" : undefined}>
                            <strong>{show(column, table.totals?.[column.key] ?? null)}</strong>
                          </td>
                        ),
                      )}
                    </tr>
                  </tfoot>
                ) : null}
              </table>
            </ScrollRegion>
          </>
        )}
      </WhenLoaded>
    </section>
  );
}
