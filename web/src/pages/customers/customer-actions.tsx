import { type FormEvent, useState } from "react";
import { addDays } from "../../../../src/domain/dates.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { standing as standingText } from "../../../../src/i18n/pt-BR/standing.ts";
import { MAX_PAUSE_DAYS } from "../../../../src/modules/dashboard/interaction.ts";
import { fieldReason } from "../../../../src/shared/field-messages.ts";
import { ApiError, api } from "../../app/api.ts";
import { FieldError } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { LabelOptions } from "../../app/components/label-options.tsx";
import { formatDate, parseReais } from "../../app/format.ts";
import { AgreementForm } from "../agreements/agreement-form.tsx";
import type { CustomerOverview } from "./customer-types.ts";
import { PortalLinkAction } from "./portal-link-action.tsx";

const text = dashboardCustomers.actions;

/** The actions on one customer: log a call, add a note, pause collection, make an agreement, give a portal link. */
export function CustomerActions({ overview, onDone }: { overview: CustomerOverview; onDone: () => void }) {
  return (
    <section aria-labelledby="actions-title" className="card">
      <h2 id="actions-title">{text.title}</h2>
      <div className="action-forms">
        <CallForm customerId={overview.customer.id} today={overview.asOf} onDone={onDone} />
        <NoteForm customerId={overview.customer.id} onDone={onDone} />
        <PauseForm overview={overview} onDone={onDone} />
        {overview.standing?.standing === "cancelled" ? (
          <ReopenForm overview={overview} onDone={onDone} />
        ) : null}
        <AgreementForm overview={overview} onDone={onDone} />
        <PortalLinkAction customerId={overview.customer.id} />
      </div>
    </section>
  );
}

/** A refusal: of one field (shown beside it, by the field's path) or of the whole form. */
interface Refusal {
  field: string | null;
  message: string;
}

/**
 * Submits a form to the API and says how it went: a refusal of a field the form shows goes beside
 * that field, any other above the button; a new refusal always replaces the last success.
 */
function useSubmission(fieldsShown: readonly string[] = []) {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  function refuse(field: string | null, message: string) {
    setNotice(null);
    setRefusal({ field, message });
  }
  async function run(work: () => Promise<string>) {
    setBusy(true);
    setRefusal(null);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (failure) {
      if (failure instanceof ApiError) refuse(failure.field, failure.message);
      else refuse(null, String(failure));
    } finally {
      setBusy(false);
    }
  }
  const besideField = refusal?.field && fieldsShown.includes(refusal.field) ? refusal : null;
  /** The reason to show beside `field`, or null. */
  const errorOf = (field: string) =>
    besideField?.field === field ? fieldReason(field, besideField.message) : null;
  /** The input's attributes that tie it to its error. */
  const describedBy = (field: string, id: string) =>
    errorOf(field) ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
  const feedback = <FormOutcome error={besideField ? null : (refusal?.message ?? null)} notice={notice} />;
  return { run, busy, feedback, refuse, errorOf, describedBy };
}

function CallForm({ customerId, today, onDone }: { customerId: string; today: string; onDone: () => void }) {
  const { run, busy, feedback, refuse, errorOf, describedBy } = useSubmission([
    "promisedOn",
    "promisedCents",
  ]);
  const [outcome, setOutcome] = useState("answered");
  const [promised, setPromised] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    let promisedCents: number | null = null;
    if (promised) {
      promisedCents = parseReais(String(data.get("promisedAmount") ?? ""));
      if (promisedCents === null) {
        refuse("promisedCents", text.invalidAmount);
        return;
      }
    }
    void run(async () => {
      await api.post(`/v1/customers/${customerId}/calls`, {
        outcome,
        body: String(data.get("body") ?? ""),
        ...(promised ? { promisedOn: String(data.get("promisedOn") ?? ""), promisedCents } : {}),
      });
      form.reset();
      setPromised(false);
      onDone();
      return text.call.done;
    });
  }

  return (
    <form onSubmit={submit} className="stacked-form" aria-labelledby="call-title">
      <h3 id="call-title">{text.call.title}</h3>
      <label htmlFor="call-outcome">{text.call.outcome}</label>
      <select id="call-outcome" value={outcome} onChange={(event) => setOutcome(event.target.value)}>
        <LabelOptions labels={text.call.outcomes} />
      </select>
      <label htmlFor="call-body">{text.call.body}</label>
      <textarea id="call-body" name="body" rows={3} />
      {outcome === "answered" ? (
        <div className="inline-check">
          <input
            id="call-promise"
            type="checkbox"
            checked={promised}
            onChange={(event) => setPromised(event.target.checked)}
          />
          <label htmlFor="call-promise">{text.call.promise}</label>
        </div>
      ) : null}
      {promised && outcome === "answered" ? (
        <>
          <label htmlFor="call-promised-on">{text.call.promisedOn}</label>
          <input
            id="call-promised-on"
            name="promisedOn"
            type="date"
            required
            min={today}
            {...describedBy("promisedOn", "call-promised-on")}
          />
          <FieldError id="call-promised-on-error" message={errorOf("promisedOn")} />
          <label htmlFor="call-promised-amount">{text.call.promisedAmount}</label>
          <input
            id="call-promised-amount"
            name="promisedAmount"
            inputMode="decimal"
            placeholder={text.amountExample}
            required
            {...describedBy("promisedCents", "call-promised-amount")}
          />
          <FieldError id="call-promised-amount-error" message={errorOf("promisedCents")} />
        </>
      ) : null}
      <button type="submit" disabled={busy}>
        {text.call.submit}
      </button>
      {feedback}
    </form>
  );
}

function NoteForm({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { run, busy, feedback } = useSubmission();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get("body") ?? "");
    void run(async () => {
      await api.post(`/v1/customers/${customerId}/notes`, { body });
      form.reset();
      onDone();
      return text.note.done;
    });
  }
  return (
    <form onSubmit={submit} className="stacked-form" aria-labelledby="note-title">
      <h3 id="note-title">{text.note.title}</h3>
      <label htmlFor="note-body">{text.note.body}</label>
      <textarea id="note-body" name="body" rows={3} required />
      <button type="submit" disabled={busy}>
        {text.note.submit}
      </button>
      {feedback}
    </form>
  );
}

function PauseForm({ overview, onDone }: { overview: CustomerOverview; onDone: () => void }) {
  const { run, busy, feedback, errorOf, describedBy } = useSubmission(["until", "reason"]);
  function lift() {
    void run(async () => {
      await api.delete(`/v1/customers/${overview.customer.id}/pause`);
      onDone();
      return text.pause.lifted;
    });
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      const pause = await api.post<{ until: string; skippedActions: number }>(
        `/v1/customers/${overview.customer.id}/pause`,
        { until: String(data.get("until") ?? ""), reason: String(data.get("reason") ?? "") },
      );
      form.reset();
      onDone();
      return text.pause.done(formatDate(pause.until), pause.skippedActions);
    });
  }
  return (
    <form onSubmit={submit} className="stacked-form" aria-labelledby="pause-title">
      <h3 id="pause-title">{text.pause.title}</h3>
      <label htmlFor="pause-until">{text.pause.until}</label>
      {overview.pause ? <p>{text.pause.current(formatDate(overview.pause.until))}</p> : null}
      <input
        id="pause-until"
        name="until"
        type="date"
        min={overview.asOf}
        max={addDays(overview.asOf, MAX_PAUSE_DAYS)}
        required
        {...describedBy("until", "pause-until")}
      />
      <FieldError id="pause-until-error" message={errorOf("until")} />
      <label htmlFor="pause-reason">{text.pause.reason}</label>
      <input
        id="pause-reason"
        name="reason"
        required
        maxLength={500}
        {...describedBy("reason", "pause-reason")}
      />
      <FieldError id="pause-reason-error" message={errorOf("reason")} />
      <button type="submit" disabled={busy}>
        {overview.pause ? text.pause.change : text.pause.submit}
      </button>
      {overview.pause ? (
        <button type="button" onClick={lift} disabled={busy}>
          {text.pause.lift}
        </button>
      ) : null}
      {feedback}
    </form>
  );
}

/** Only a cancelled customer can be reopened (POST /v1/customers/{id}/reopen, with the reason). */
function ReopenForm({ overview, onDone }: { overview: CustomerOverview; onDone: () => void }) {
  const { run, busy, feedback } = useSubmission();
  const reopen = standingText.reopen;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const reason = String(new FormData(form).get("reason") ?? "");
    void run(async () => {
      await api.post(`/v1/customers/${overview.customer.id}/reopen`, { reason });
      form.reset();
      onDone();
      return reopen.done;
    });
  }
  return (
    <form onSubmit={submit} className="stacked-form" aria-labelledby="reopen-title">
      <h3 id="reopen-title">{reopen.title}</h3>
      <p>{reopen.intro}</p>
      <label htmlFor="reopen-reason">{reopen.reasonLabel}</label>
      <input id="reopen-reason" name="reason" required maxLength={500} />
      <button type="submit" disabled={busy}>
        {reopen.submit}
      </button>
      {feedback}
    </form>
  );
}
