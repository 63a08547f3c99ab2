import { Link } from "react-router";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import type { WorkQueueEntry } from "../../../../src/modules/work-queue/work-queue.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { formatCents, formatDate, formatRatio } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";

const text = dashboardWork.queue;

/** What placed the customer: the expected recovery and its chance, or the points when unscored. */
function priorityOf(entry: WorkQueueEntry): string {
  const { priority } = entry;
  if (priority.basis === "expected_recovery" && priority.expectedRecoveryCents !== null) {
    return text.expected(formatCents(priority.expectedRecoveryCents), formatRatio(priority.probability ?? 0));
  }
  return text.points(entry.score);
}

/** Why: the score's reasons when scored, else the points' composition. */
function whyOf(entry: WorkQueueEntry): string {
  if (entry.priority.basis === "expected_recovery") {
    return entry.priority.reasons.map((reason) => reason.text).join("; ");
  }
  const parts = entry.scoreParts;
  return text.parts(parts.amount, parts.days, parts.promise, parts.tasks);
}

/** The analysts' work queue as the server ranks it; the page only shows it. */
export function QueuePage() {
  usePageTitle(text.title);
  const queue = useApiData<{ asOf: string; data: WorkQueueEntry[] }>("/v1/work-queue?limit=200");
  return (
    <>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <WhenLoaded loaded={queue}>
        {(data) => (
          <DataTable
            caption={`${text.caption} — ${text.asOf(formatDate(data.asOf))}`}
            empty={text.empty}
            columns={[
              { label: text.columns.position, numeric: true },
              { label: text.columns.customer },
              { label: text.columns.overdue, numeric: true },
              { label: text.columns.days, numeric: true },
              { label: text.columns.promise },
              { label: text.columns.tasks, numeric: true },
              { label: text.columns.score, numeric: true },
              { label: text.columns.why },
            ]}
            rows={data.data}
            rowKey={(entry) => entry.customerId}
            cells={(entry, index) => (
              <>
                <td className="number">{index + 1}</td>
                <td>
                  <Link to={`/clientes/${entry.customerId}`}>{entry.name}</Link>
                </td>
                <td className="number">{formatCents(entry.overdueCents)}</td>
                <td className="number">{entry.daysOverdue}</td>
                <td>
                  {entry.promise
                    ? `${formatDate(entry.promise.promisedOn)}${
                        entry.promise.promisedCents !== null
                          ? ` · ${formatCents(entry.promise.promisedCents)}`
                          : ""
                      }`
                    : text.noPromise}
                </td>
                <td className="number">{entry.openTasks}</td>
                <td className="number">{priorityOf(entry)}</td>
                <td>{whyOf(entry)}</td>
              </>
            )}
          />
        )}
      </WhenLoaded>
    </>
  );
}
