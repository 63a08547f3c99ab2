import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { formatDocument } from "../../../../src/domain/documents.ts";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { jobs as jobText } from "../../../../src/i18n/pt-BR/jobs.ts";
import { templateTitle } from "../../../../src/i18n/pt-BR/template-names.ts";
import type { BulkJobView } from "../../../../src/modules/bulk-jobs/bulk-job.ts";
import type { CustomerSelection } from "../../../../src/modules/work-queue/work-queue.ts";
import { ApiError, api, query } from "../../app/api.ts";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { JobProgress } from "../../app/components/job-progress.tsx";
import { LabelOptions } from "../../app/components/label-options.tsx";
import { ScrollRegion } from "../../app/components/scroll-region.tsx";
import { formatCents } from "../../app/format.ts";
import { useIdempotencyKey } from "../../app/idempotency.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { ErrorBox } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { GroupView } from "../groups/group-types.ts";

/** The list's caption names its scroll box: on a tablet the table scrolls inside it, not the page. */
const CAPTION_ID = "customer-list-caption";

const text = dashboardWork.customers;

interface CustomerRow {
  id: string;
  externalId: string;
  name: string;
  document: string;
  standing: string;
  overdueCents: number;
  daysOverdue: number;
  groups: string[];
}

interface Filters {
  standing: string;
  minDaysOverdue: string;
  maxDaysOverdue: string;
  tag: string;
  groupId: string;
  search: string;
}

const NO_FILTERS: Filters = {
  standing: "",
  minDaysOverdue: "",
  maxDaysOverdue: "",
  tag: "",
  groupId: "",
  search: "",
};

/** Filters given in the address (the panel links here with them), the others empty. */
function filtersFrom(search: URLSearchParams): Filters {
  const filters = { ...NO_FILTERS };
  for (const name of Object.keys(NO_FILTERS) as (keyof Filters)[]) {
    filters[name] = search.get(name) ?? "";
  }
  return filters;
}

/** The customer list: filters, a selection of one or many, and the bulk actions on it. */
export function CustomerListPage() {
  usePageTitle(text.title);
  const [search] = useSearchParams();
  const [draft, setDraft] = useState<Filters>(() => filtersFrom(search));
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(search));
  const [rows, setRows] = useState<CustomerRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // a viewer reads the list; the bulk actions are not offered (the API refuses them too)
  const mayWrite = useMay("write");
  const [version, setVersion] = useState(0);
  const groups = useApiData<{ data: GroupView[] }>("/v1/groups");
  // every customer the applied filters match, resolved by the server ("select all N")
  const matching = useApiData<CustomerSelection>(`/v1/customer-overview/selection${query({ ...filters })}`);

  async function load(after: string | null) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<{ data: CustomerRow[]; next_cursor: string | null }>(
        `/v1/customer-overview${query({ ...filters, limit: 100, cursor: after })}`,
      );
      setRows((previous) => (after ? [...previous, ...page.data] : page.data));
      setCursor(page.next_cursor);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setLoading(false);
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the applied filters change
  useEffect(() => {
    setSelected(new Set());
    void load(null);
    matching.reload();
  }, [filters, version]);

  const field = (name: keyof Filters) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  return (
    <>
      <h1>{text.title}</h1>
      <form
        className="card filters"
        aria-label={text.filters}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <label>
          {text.standing}{" "}
          <select {...field("standing")}>
            <option value="">{text.standingAny}</option>
            <LabelOptions labels={text.standings} />
          </select>
        </label>{" "}
        <label>
          {text.minDays} <input type="number" min={0} size={5} {...field("minDaysOverdue")} />
        </label>{" "}
        <label>
          {text.maxDays} <input type="number" min={0} size={5} {...field("maxDaysOverdue")} />
        </label>{" "}
        <label>
          {text.tag} <input {...field("tag")} />
        </label>{" "}
        <label>
          {text.groupFilter}{" "}
          <select {...field("groupId")}>
            <option value="">{text.groupAny}</option>
            {(groups.data?.data ?? []).map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {text.search} <input type="search" {...field("search")} />
        </label>{" "}
        <button type="submit">{text.apply}</button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {mayWrite ? (
        <>
          <SelectAllMatching
            selection={matching.data ?? null}
            pageSelected={allSelected}
            loaded={rows.length}
            selectedCount={selected.size}
            onSelectAll={(ids) => setSelected(new Set(ids))}
            onClear={() => setSelected(new Set())}
          />
          <BulkActions
            selected={[...selected]}
            groups={groups.data?.data ?? []}
            onDone={() => {
              setVersion((value) => value + 1);
              groups.reload();
            }}
          />
        </>
      ) : null}
      {rows.length === 0 && !loading ? <p>{text.empty}</p> : null}
      {rows.length > 0 ? (
        <ScrollRegion labelledBy={CAPTION_ID}>
          <table>
            <caption id={CAPTION_ID}>{text.caption}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={text.selectAll}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))}
                  />
                </th>
                <th scope="col">{text.columns.customer}</th>
                <th scope="col">{text.columns.document}</th>
                <th scope="col">{text.columns.standing}</th>
                <th scope="col" className="number">
                  {text.columns.overdue}
                </th>
                <th scope="col" className="number">
                  {text.columns.days}
                </th>
                <th scope="col">{text.columns.groups}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={text.select(row.name)}
                      checked={selected.has(row.id)}
                      onChange={() => toggle(row.id)}
                    />
                  </td>
                  <td>
                    <Link to={`/clientes/${row.id}`}>{row.name}</Link>
                  </td>
                  <td>{formatDocument(row.document)}</td>
                  <td>{text.standings[row.standing] ?? row.standing}</td>
                  <td className="number">{formatCents(row.overdueCents)}</td>
                  <td className="number">{row.daysOverdue}</td>
                  <td>{row.groups.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {cursor ? (
        <button type="button" className="secondary" disabled={loading} onClick={() => load(cursor)}>
          {text.more}
        </button>
      ) : null}
    </>
  );
}

/**
 * "Select all N": once the loaded page is all selected and the filter matches more customers than
 * it shows, offers every one of them — the server's resolution of the filter, not the page.
 */
function SelectAllMatching({
  selection,
  pageSelected,
  loaded,
  selectedCount,
  onSelectAll,
  onClear,
}: {
  selection: CustomerSelection | null;
  pageSelected: boolean;
  loaded: number;
  selectedCount: number;
  onSelectAll: (customerIds: string[]) => void;
  onClear: () => void;
}) {
  if (!selection || !pageSelected || selection.count + (selection.more ? 1 : 0) <= loaded) return null;
  if (selection.more) {
    return <p className="notice">{jobText.tooManyToSelect(selection.count)}</p>;
  }
  if (selectedCount >= selection.count) {
    return (
      <p className="notice">
        {jobText.allMatchingSelected(selection.count)}{" "}
        <button type="button" className="secondary" onClick={onClear}>
          {jobText.clearSelection}
        </button>
      </p>
    );
  }
  return (
    <p className="notice">
      <button type="button" className="secondary" onClick={() => onSelectAll(selection.customerIds)}>
        {jobText.selectAllMatching(selection.count)}
      </button>
    </p>
  );
}

const TEMPLATES: Record<string, string[]> = {
  email: ["email.d+6", "email.d+12", "email.d0", "email.d-5", "email.negotiation-offer"],
  sms: ["sms.d+6", "sms.d-1"],
  whatsapp: ["whatsapp.d+6"],
};

interface BatchResult {
  customers: number;
  invoices: number;
  reachable: number;
  totalCents: number;
  actions: number;
}

/** The action bar: each action works on the selected customers. */
function BulkActions({
  selected,
  groups,
  onDone,
}: {
  selected: string[];
  groups: GroupView[];
  onDone: () => void;
}) {
  const [channel, setChannel] = useState("sms");
  const [template, setTemplate] = useState("sms.d+6");
  const [filter, setFilter] = useState("overdue");
  const [count, setCount] = useState<BatchResult | null>(null);
  const [ticketTitle, setTicketTitle] = useState("");
  const [groupId, setGroupId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ customerId: string; name: string | null; reason: string }[]>([]);
  // long work runs as a job: one key per click of the form, the button off until the job ends
  const idempotency = useIdempotencyKey();
  const [submitting, setSubmitting] = useState(false);
  // the last job started here: shown until the next one starts, its buttons off while it runs
  const [job, setJob] = useState<{ id: string; notice: (job: BulkJobView) => string } | null>(null);
  const [running, setRunning] = useState(false);
  const finished = useRef<string | null>(null);
  const busy = submitting || running;
  const selection = selected.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new selection or message needs a new count
  useEffect(() => setCount(null), [selection, template, filter]);

  async function run(action: () => Promise<string>) {
    setError(null);
    setStatus(null);
    setRefused([]);
    try {
      setStatus(await action());
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null));
    }
  }
  const batch = (dryRun: boolean) =>
    api.post<BatchResult>("/v1/batch-sends", { template, filter, customerIds: selected, dryRun });

  async function countFirst(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const result = await batch(true);
      setCount(result);
      return text.send.counted(
        result.customers,
        result.reachable,
        result.invoices,
        formatCents(result.totalCents),
      );
    });
  }

  /** Starts a job once, however often it is clicked: disabled while submitting, one key per click. */
  async function startJob(path: string, body: unknown, notice: (job: BulkJobView) => string) {
    if (busy) return;
    setSubmitting(true);
    setError(null);
    setStatus(null);
    setRefused([]);
    try {
      const started = await api.postOnce<BulkJobView>(path, body, idempotency.key);
      setJob({ id: started.id, notice });
      setRunning(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null));
    } finally {
      setSubmitting(false);
    }
  }

  const letters = () =>
    startJob("/v1/jobs/letters", { customerIds: selected }, (done) =>
      text.letters.generated(Number(done.result?.letters ?? 0)),
    );

  const feedback = (
    <>
      <FormOutcome error={error} notice={status} />
      {job ? (
        <JobProgress
          jobId={job.id}
          finishedNotice={job.notice}
          onFinished={(ended) => {
            if (finished.current === ended.id) return;
            finished.current = ended.id;
            // the next click is another action: a new key, the buttons back on
            idempotency.renew();
            setRunning(false);
            setCount(null);
            onDone();
          }}
        />
      ) : null}
      {refused.length > 0 ? (
        <div role="alert">
          <strong>{text.group.refused}:</strong>
          <ul>
            {refused.map((entry) => (
              <li key={entry.customerId}>
                {entry.name ?? entry.customerId}: {entry.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
  if (selected.length === 0) {
    return (
      <section className="card" aria-labelledby="bulk-actions">
        <h2 id="bulk-actions">{text.actions}</h2>
        {feedback}
        <p>{text.nothingSelected}</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="bulk-actions">
      <h2 id="bulk-actions">
        {text.actions}: {text.selected(selected.length)}
      </h2>
      {feedback}
      <form onSubmit={countFirst} aria-labelledby="bulk-send">
        <h3 id="bulk-send">{text.send.title}</h3>
        <label>
          {text.send.channel}{" "}
          <select
            value={channel}
            onChange={(event) => {
              setChannel(event.target.value);
              setTemplate(TEMPLATES[event.target.value]![0]!);
            }}
          >
            <LabelOptions labels={text.send.channels} />
          </select>
        </label>{" "}
        <label>
          {text.send.template}{" "}
          <select value={template} onChange={(event) => setTemplate(event.target.value)}>
            {(TEMPLATES[channel] ?? []).map((name) => (
              <option key={name} value={name}>
                {templateTitle(name)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {text.send.invoices}{" "}
          <select value={filter} onChange={(event) => setFilter(event.target.value)}>
            <LabelOptions labels={text.send.filters} />
          </select>
        </label>{" "}
        <button type="submit" className="secondary">
          {text.send.count}
        </button>{" "}
        {count ? (
          <button
            type="button"
            disabled={count.reachable === 0 || busy}
            onClick={() =>
              startJob("/v1/jobs/batch-sends", { template, filter, customerIds: selected }, (done) =>
                text.send.sent(Number(done.result?.actions ?? 0)),
              )
            }
          >
            {text.send.confirm(count.reachable)}
          </button>
        ) : null}
      </form>
      <h3>{text.letters.title}</h3>
      <button type="button" className="secondary" disabled={busy} onClick={letters}>
        {submitting ? jobText.submitting : text.letters.generate}
      </button>
      <form
        aria-labelledby="bulk-ticket"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const result = await api.post<{ created: number }>("/v1/tickets/bulk", {
              title: ticketTitle,
              customerIds: selected,
            });
            setTicketTitle("");
            return text.ticket.created(result.created);
          });
        }}
      >
        <h3 id="bulk-ticket">{text.ticket.title}</h3>
        <label>
          {text.ticket.fieldTitle}{" "}
          <input required value={ticketTitle} onChange={(event) => setTicketTitle(event.target.value)} />
        </label>{" "}
        <button type="submit" className="secondary">
          {text.ticket.create}
        </button>
      </form>
      <form aria-labelledby="bulk-group" onSubmit={(event) => event.preventDefault()}>
        <h3 id="bulk-group">{text.group.title}</h3>
        <label>
          {text.group.choose}{" "}
          <select required value={groupId} onChange={(event) => setGroupId(event.target.value)}>
            <option value="">—</option>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name} ({dashboardWork.groupPurpose[group.purpose]})
              </option>
            ))}
          </select>
        </label>{" "}
        <button
          type="button"
          className="secondary"
          disabled={!groupId}
          onClick={() =>
            run(async () => {
              const report = await api.post<{
                added: string[];
                alreadyMembers: string[];
                refused: { customerId: string; name: string | null; reason: string }[];
              }>(`/v1/groups/${groupId}/members`, { customerIds: selected });
              setRefused(report.refused);
              onDone();
              return text.group.added(report.added.length, report.alreadyMembers.length);
            })
          }
        >
          {text.group.add}
        </button>{" "}
        <button
          type="button"
          className="secondary"
          disabled={!groupId}
          onClick={() =>
            run(async () => {
              const result = await api.post<{ removed: string[] }>(`/v1/groups/${groupId}/members/remove`, {
                customerIds: selected,
              });
              onDone();
              return text.group.removed(result.removed.length);
            })
          }
        >
          {text.group.remove}
        </button>
      </form>
    </section>
  );
}
