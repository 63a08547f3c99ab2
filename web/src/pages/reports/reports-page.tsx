import { type FormEvent, useState } from "react";
import type { ReplicaLag } from "../../../../src/http/replica-lag.ts";
import { dashboardReports as text } from "../../../../src/i18n/pt-BR/dashboard-reports.ts";
import type { BulkJobView } from "../../../../src/modules/bulk-jobs/bulk-job.ts";
import { ApiError, api, query } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { JobProgress } from "../../app/components/job-progress.tsx";
import { ReplicaLagNotice } from "../../app/components/replica-lag.tsx";
import { RollupPendingNotice } from "../../app/components/rollup-pending.tsx";
import { ScrollRegion } from "../../app/components/scroll-region.tsx";
import { formatCents, formatCount, formatDate, formatRatio } from "../../app/format.ts";
import { useIdempotencyKey } from "../../app/idempotency.ts";
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
  pendingCustomers?: number;
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
  // the period is checked here first, beside "De"; the server says the same of any other way in
  const [refusal, setRefusal] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setRefusal(text.periodReversed(formatDate(draft.from), formatDate(draft.to)));
      return;
    }
    setRefusal(null);
    setApplied(draft);
  };
  const serverRefusal = (field: string) =>
    loaded.status === "failed" ? reasonFor(loaded.error, field) : null;
  const fromProblem = refusal ?? serverRefusal("from");
  const toProblem = serverRefusal("to");
  const shownBeside = fromProblem !== null || toProblem !== null;
  const describe = (problem: string | null, id: string) =>
    problem ? { "aria-invalid": true, "aria-describedby": id } : {};

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
            <div className="field">
              <label htmlFor="report-from">{text.filters.from}</label>
              <input
                id="report-from"
                type="date"
                value={draft.from}
                onChange={update("from")}
                {...describe(fromProblem, "report-from-error")}
              />
              <FieldError id="report-from-error" message={fromProblem} />
            </div>
            <div className="field">
              <label htmlFor="report-to">{text.filters.to}</label>
              <input
                id="report-to"
                type="date"
                value={draft.to}
                onChange={update("to")}
                {...describe(toProblem, "report-to-error")}
              />
              <FieldError id="report-to-error" message={toProblem} />
            </div>
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
        <BackgroundExport report={applied.report} parameters={parameters} />
      </nav>
      {shownBeside ? null : (
        <WhenLoaded loaded={loaded}>
          {(table) => (
            <>
              <ReplicaLagNotice lag={table} />
              <RollupPendingNotice customers={table.pendingCustomers} />
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
      )}
    </section>
  );
}

/**
 * The report's XLSX made by the worker, with a progress bar: for a long period or a large
 * portfolio, instead of a download the browser waits on. One Idempotency-Key per click.
 */
function BackgroundExport({
  report,
  parameters,
}: {
  report: string;
  parameters: Record<string, string | undefined>;
}) {
  const idempotency = useIdempotencyKey();
  const [submitting, setSubmitting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function start() {
    if (submitting || running) return;
    setSubmitting(true);
    setError(null);
    try {
      const body: Record<string, string> = { name: report, format: "xlsx" };
      for (const [name, value] of Object.entries(parameters)) if (value) body[name] = value;
      const job = await api.postOnce<BulkJobView>("/v1/jobs/report-exports", body, idempotency.key);
      setJobId(job.id);
      setRunning(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null));
    } finally {
      setSubmitting(false);
    }
  }
  return (
    <>
      <button type="button" className="secondary" disabled={submitting || running} onClick={start}>
        {text.export.inBackground}
      </button>
      <FormOutcome error={error} notice={null} />
      {jobId ? (
        <JobProgress
          jobId={jobId}
          finishedNotice={(job) => text.export.exported(Number(job.result?.rows ?? 0))}
          onFinished={() => {
            idempotency.renew();
            setRunning(false);
          }}
        />
      ) : null}
    </>
  );
}
