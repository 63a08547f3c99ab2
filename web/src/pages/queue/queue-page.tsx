import { Link } from "react-router";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { formatCents, formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";

const text = dashboardWork.queue;

interface QueueEntry {
  customerId: string;
  externalId: string;
  name: string;
  overdueCents: number;
  overdueInvoices: number;
  daysOverdue: number;
  promise: { promisedOn: string; promisedCents: number | null } | null;
  openTasks: number;
  score: number;
  scoreParts: { amount: number; days: number; promise: number; tasks: number };
}

/** The analysts' work queue as the server ranks it; the page only shows it. */
export function QueuePage() {
  usePageTitle(text.title);
  const queue = useApiData<{ asOf: string; data: QueueEntry[] }>("/v1/work-queue?limit=200");
  return (
    <>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <WhenLoaded loaded={queue}>
        {(data) =>
          data.data.length === 0 ? (
            <p>{text.empty}</p>
          ) : (
            <table>
              <caption>
                {text.caption} — {text.asOf(formatDate(data.asOf))}
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="number">
                    {text.columns.position}
                  </th>
                  <th scope="col">{text.columns.customer}</th>
                  <th scope="col" className="number">
                    {text.columns.overdue}
                  </th>
                  <th scope="col" className="number">
                    {text.columns.days}
                  </th>
                  <th scope="col">{text.columns.promise}</th>
                  <th scope="col" className="number">
                    {text.columns.tasks}
                  </th>
                  <th scope="col" className="number">
                    {text.columns.score}
                  </th>
                  <th scope="col">{text.columns.why}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((entry, index) => (
                  <tr key={entry.customerId}>
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
                    <td className="number">{entry.score}</td>
                    <td>
                      {text.parts(
                        entry.scoreParts.amount,
                        entry.scoreParts.days,
                        entry.scoreParts.promise,
                        entry.scoreParts.tasks,
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </WhenLoaded>
    </>
  );
}
