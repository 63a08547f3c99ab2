import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { type ApiError, api, query } from "../../app/api.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { LabelOptions } from "../../app/components/label-options.tsx";
import { formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { useSession } from "../../app/session.tsx";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { Assignee, TicketView } from "./ticket-types.ts";

const text = dashboardWork.tickets;
const VIEWS = { mine: "me", unassigned: "none", all: undefined } as const;

/** "My tickets" by default; the other views and a form to open a ticket. */
export function TicketsPage() {
  usePageTitle(text.title);
  const [params, setParams] = useSearchParams();
  const view = (params.get("view") ?? "mine") as keyof typeof VIEWS;
  const status = params.get("status") ?? "active";
  const list = useApiData<{ data: TicketView[]; today: string }>(
    `/v1/tickets${query({ assignee: VIEWS[view] ?? null, status: status === "any" ? null : status, limit: 200 })}`,
  );
  const { state } = useSession();
  const operatorId = state.status === "signed-in" ? state.operator.id : "";
  const mayWrite = useMay("write");
  /** A ticket just opened must show: when the view in use would hide it, switch to one that shows it. */
  function showCreated(ticket: TicketView) {
    const inView =
      view === "all" || (view === "mine" ? ticket.assigneeId === operatorId : ticket.assigneeId === null);
    const inStatus = status === "active" || status === "any" || status === ticket.status;
    if (inView && inStatus) list.reload();
    else setParams({ view: inView ? view : "all", status: inStatus ? status : "active" });
  }
  return (
    <>
      <h1>{text.title}</h1>
      <form className="card filters" aria-label={text.viewLabel} onSubmit={(event) => event.preventDefault()}>
        <label>
          {text.viewLabel}{" "}
          <select value={view} onChange={(event) => setParams({ view: event.target.value, status })}>
            <LabelOptions labels={text.views} />
          </select>
        </label>{" "}
        <label>
          {text.statusFilter}{" "}
          <select value={status} onChange={(event) => setParams({ view, status: event.target.value })}>
            <option value="active">{text.statusActive}</option>
            <LabelOptions labels={dashboardWork.ticketStatus} />
            <option value="any">{text.statusAny}</option>
          </select>
        </label>
      </form>
      <WhenLoaded loaded={list}>
        {(data) => <TicketTable tickets={data.data} today={data.today} />}
      </WhenLoaded>
      {mayWrite ? (
        <NewTicket operatorId={operatorId} today={list.data?.today} onCreated={showCreated} />
      ) : null}
    </>
  );
}

/** `today` is the tenant's calendar day, as the API says it (not the browser's clock or zone). */
export function TicketTable({ tickets, today }: { tickets: TicketView[]; today: string }) {
  return (
    <DataTable
      caption={text.caption}
      empty={text.empty}
      columns={[
        { label: text.columns.title },
        { label: text.columns.customer },
        { label: text.columns.assignee },
        { label: text.columns.due },
        { label: text.columns.status },
      ]}
      rows={tickets}
      rowKey={(ticket) => ticket.id}
      cells={(ticket) => (
        <>
          <td>
            <Link to={`/tickets/${ticket.id}`}>{ticket.title}</Link>
          </td>
          <td>
            {ticket.customerId ? (
              <Link to={`/clientes/${ticket.customerId}`}>{ticket.customerName}</Link>
            ) : (
              "—"
            )}
          </td>
          <td>{ticket.assigneeName ?? text.nobody}</td>
          <td>
            {ticket.dueOn ? formatDate(ticket.dueOn) : "—"}
            {ticket.dueOn && ticket.status !== "done" && ticket.dueOn < today ? (
              <span className="badge danger"> {text.overdue}</span>
            ) : null}
          </td>
          <td>{dashboardWork.ticketStatus[ticket.status]}</td>
        </>
      )}
    />
  );
}

export function AssigneeSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const assignees = useApiData<{ data: Assignee[] }>("/v1/tickets/assignees");
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{text.nobody}</option>
      {(assignees.data?.data ?? []).map((assignee) => (
        <option key={assignee.id} value={assignee.id}>
          {assignee.name}
        </option>
      ))}
    </select>
  );
}

/** The fields whose refusal shows beside them rather than above the button. */
const BESIDE_FIELDS = ["dueOn", "customerId"];

function NewTicket({
  operatorId,
  today,
  onCreated,
}: {
  operatorId: string;
  today: string | undefined;
  onCreated: (ticket: TicketView) => void;
}) {
  const [params] = useSearchParams();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  // the operator opening a ticket usually keeps it; they may hand it to someone else or to nobody
  const [assigneeId, setAssigneeId] = useState(operatorId);
  const [dueOn, setDueOn] = useState("");
  const [customerId, setCustomerId] = useState(params.get("customerId") ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const invalid = (field: string, id: string) =>
    reasonFor(error, field) ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      const ticket = await api.post<TicketView>("/v1/tickets", {
        title,
        description,
        assigneeId: assigneeId || null,
        dueOn: dueOn || null,
        customerId: customerId.trim() || null,
      });
      setDone(text.created(ticket.title));
      setTitle("");
      setDescription("");
      onCreated(ticket);
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  return (
    <section className="card" aria-labelledby="new-ticket">
      <h2 id="new-ticket">{text.newTitle}</h2>
      <form className="stacked-form" onSubmit={submit}>
        <label htmlFor="ticket-title">{text.fieldTitle}</label>
        <input id="ticket-title" required value={title} onChange={(event) => setTitle(event.target.value)} />
        <label htmlFor="ticket-description">{text.fieldDescription}</label>
        <textarea
          id="ticket-description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <label htmlFor="ticket-assignee">{text.fieldAssignee}</label>
        <AssigneeSelect id="ticket-assignee" value={assigneeId} onChange={setAssigneeId} />
        <label htmlFor="ticket-due">{text.fieldDue}</label>
        <input
          id="ticket-due"
          type="date"
          min={today}
          value={dueOn}
          onChange={(event) => setDueOn(event.target.value)}
          {...invalid("dueOn", "ticket-due")}
        />
        <FieldError id="ticket-due-error" message={reasonFor(error, "dueOn")} />
        <label htmlFor="ticket-customer">{text.fieldCustomer}</label>
        <input
          id="ticket-customer"
          value={customerId}
          onChange={(event) => setCustomerId(event.target.value)}
          {...invalid("customerId", "ticket-customer")}
        />
        <FieldError id="ticket-customer-error" message={reasonFor(error, "customerId")} />
        <FormOutcome
          error={error && !BESIDE_FIELDS.includes(error.field ?? "") ? error : null}
          notice={done}
        />
        <button type="submit">{text.create}</button>
      </form>
    </section>
  );
}
