import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { type ApiError, api } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatDate, formatInstant } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { TicketDetailView } from "./ticket-types.ts";
import { AssigneeSelect } from "./tickets-page.tsx";

const text = dashboardWork.ticket;

/** One ticket: its facts, the buttons that move it, and its comments. */
export function TicketPage() {
  const { ticketId } = useParams();
  const ticket = useApiData<TicketDetailView>(`/v1/tickets/${ticketId}`);
  usePageTitle(ticket.data?.title ?? dashboardWork.tickets.title);
  return (
    <>
      <p>
        <Link to="/tickets">{text.back}</Link>
      </p>
      <WhenLoaded loaded={ticket}>{(data) => <TicketView ticket={data} reload={ticket.reload} />}</WhenLoaded>
    </>
  );
}

function TicketView({ ticket, reload }: { ticket: TicketDetailView; reload: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState(ticket.assigneeId ?? "");
  const [dueOn, setDueOn] = useState(ticket.dueOn ?? "");
  const [comment, setComment] = useState("");
  // a viewer follows the ticket; changing it or commenting is for those who write
  const mayWrite = useMay("write");
  const dueProblem = reasonFor(error, "dueOn");
  async function change(body: Record<string, unknown>) {
    setError(null);
    setStatus(null);
    try {
      await api.patch(`/v1/tickets/${ticket.id}`, body);
      setStatus(text.saved);
      reload();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  async function addComment(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setStatus(null);
    try {
      await api.post(`/v1/tickets/${ticket.id}/comments`, { body: comment });
      setComment("");
      reload();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  return (
    <>
      <h1>{ticket.title}</h1>
      {ticket.description ? <p className="description">{ticket.description}</p> : null}
      <dl className="facts">
        <dt>{text.status}</dt>
        <dd>
          <span className={`badge ${ticket.status === "done" ? "ok" : "warn"}`}>
            {dashboardWork.ticketStatus[ticket.status]}
          </span>
        </dd>
        <dt>{text.customer}</dt>
        <dd>
          {ticket.customerId ? <Link to={`/clientes/${ticket.customerId}`}>{ticket.customerName}</Link> : "—"}
        </dd>
        <dt>{text.assignee}</dt>
        <dd>{ticket.assigneeName ?? dashboardWork.tickets.nobody}</dd>
        <dt>{text.due}</dt>
        <dd>{ticket.dueOn ? formatDate(ticket.dueOn) : text.noDue}</dd>
        <dt>{text.createdAt}</dt>
        <dd>{formatInstant(ticket.createdAt)}</dd>
        {ticket.closedAt ? (
          <>
            <dt>{text.closedAt}</dt>
            <dd>{formatInstant(ticket.closedAt)}</dd>
          </>
        ) : null}
      </dl>
      {mayWrite ? (
        <>
          <div className="actions">
            {ticket.status === "open" ? (
              <button type="button" className="secondary" onClick={() => change({ status: "in_progress" })}>
                {text.start}
              </button>
            ) : null}{" "}
            {ticket.status !== "done" ? (
              <button type="button" onClick={() => change({ status: "done" })}>
                {text.close}
              </button>
            ) : (
              <button type="button" className="secondary" onClick={() => change({ status: "open" })}>
                {text.reopen}
              </button>
            )}
          </div>
          <form
            className="card inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void change({ assigneeId: assigneeId || null, dueOn: dueOn || null });
            }}
          >
            <label htmlFor="ticket-assignee">{text.changeAssignee}</label>{" "}
            <AssigneeSelect id="ticket-assignee" value={assigneeId} onChange={setAssigneeId} />{" "}
            <label htmlFor="ticket-due">{text.changeDue}</label>{" "}
            <input
              id="ticket-due"
              type="date"
              value={dueOn}
              onChange={(event) => setDueOn(event.target.value)}
              aria-invalid={dueProblem ? true : undefined}
              aria-describedby={dueProblem ? "ticket-due-error" : undefined}
            />{" "}
            <button type="submit" className="secondary">
              {text.save}
            </button>
            <FieldError id="ticket-due-error" message={dueProblem} />
          </form>
          <FormOutcome error={dueProblem ? null : error} notice={status} />
        </>
      ) : null}
      <section aria-labelledby="comments">
        <h2 id="comments">{text.comments}</h2>
        {ticket.comments.length === 0 ? <p>{text.noComments}</p> : null}
        <ol className="comments">
          {ticket.comments.map((entry) => (
            <li key={entry.id}>
              <p>
                <strong>{entry.author.name ?? text.systemAuthor}</strong> · {formatInstant(entry.createdAt)}
              </p>
              <p>{entry.body}</p>
            </li>
          ))}
        </ol>
        {mayWrite ? (
          <form className="stacked-form" onSubmit={addComment}>
            <label htmlFor="new-comment">{text.newComment}</label>
            <textarea
              id="new-comment"
              required
              value={comment}
              onChange={(event) => setComment(event.target.value)}
            />
            <button type="submit">{text.addComment}</button>
          </form>
        ) : null}
      </section>
    </>
  );
}
