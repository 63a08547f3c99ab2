import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { dashboardAgreements } from "../../../../src/i18n/pt-BR/dashboard-agreements.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { ApiError, api } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { ScrollRegion } from "../../app/components/scroll-region.tsx";
import { formatCents, formatDate, formatDayOf } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { AgreementOverviewView } from "./agreement-types.ts";

const text = dashboardAgreements.page;

/** One agreement (/app/acordos/:agreementId): status and history, installments, payments, calendar, cancel. */
export function AgreementPage() {
  const { agreementId = "" } = useParams();
  const overview = useApiData<AgreementOverviewView>(
    `/v1/agreements/${encodeURIComponent(agreementId)}/overview`,
  );
  usePageTitle(
    overview.data ? text.title(overview.data.agreement.number) : dashboardCustomers.agreementsList.title,
  );
  return (
    <WhenLoaded loaded={overview}>
      {(data) => <AgreementView overview={data} reload={overview.reload} />}
    </WhenLoaded>
  );
}

function AgreementView({ overview, reload }: { overview: AgreementOverviewView; reload: () => void }) {
  const mayWrite = useMay("write");
  const { agreement, customer } = overview;
  const status = dashboardAgreements.statuses[agreement.status] ?? agreement.status;
  const count = agreement.terms.installments;
  const inForce = agreement.status === "proposed" || agreement.status === "active";
  const creator =
    overview.createdBy.kind === "operator"
      ? (overview.createdBy.name ?? "—")
      : (text.creators[overview.createdBy.kind] ?? "—");
  return (
    <>
      <p>
        <Link to={`/clientes/${customer.id}`}>{text.back}</Link>
      </p>
      <h1>{text.title(agreement.number)}</h1>
      <dl className="facts agreement-facts">
        <dt>{text.customer}</dt>
        <dd>
          <Link to={`/clientes/${customer.id}`}>{customer.name}</Link>
        </dd>
        <dt>{text.status}</dt>
        <dd>
          <span
            className={`badge ${agreement.status === "active" || agreement.status === "completed" ? "ok" : agreement.status === "proposed" ? "warn" : "danger"}`}
            data-testid="agreement-status"
          >
            {status}
          </span>
        </dd>
        <dt>{text.createdBy}</dt>
        <dd>{creator}</dd>
        <dt>{text.debt}</dt>
        <dd>{formatCents(agreement.debt.totalCents)}</dd>
        <dt>{text.concession}</dt>
        <dd>{formatCents(agreement.concessionCents)}</dd>
        <dt>{text.total}</dt>
        <dd data-testid="agreement-total">{formatCents(agreement.totalCents)}</dd>
        <dt>{text.paid}</dt>
        <dd>{formatCents(agreement.paidCents)}</dd>
      </dl>
      <p>
        <a href={`/v1/agreements/${agreement.id}/calendar.ics`} download>
          {text.calendar}
        </a>
      </p>

      <section aria-labelledby="agreement-history-title">
        <h2 id="agreement-history-title">{text.history}</h2>
        <ol className="timeline" data-testid="agreement-history">
          {overview.history.map((change) => (
            <li key={change.status}>
              <h3>
                {text.historyItem(
                  dashboardAgreements.statuses[change.status] ?? change.status,
                  formatDayOf(change.at, overview.timeZone),
                )}
              </h3>
              {change.reason ? <p>{change.reason}</p> : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="agreement-installments-title">
        <h2 id="agreement-installments-title">{text.installments}</h2>
        <ScrollRegion label={text.installmentsCaption}>
          <table data-testid="agreement-installments">
            <caption className="visually-hidden">{text.installmentsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.installment}</th>
                <th scope="col">{text.dueDate}</th>
                <th scope="col" className="number">
                  {text.amount}
                </th>
                <th scope="col" className="number">
                  {text.today}
                </th>
                <th scope="col" className="number">
                  {text.paidColumn}
                </th>
                <th scope="col">{text.statusColumn}</th>
              </tr>
            </thead>
            <tbody>
              {overview.installments.map((installment) => (
                <tr key={installment.number}>
                  <th scope="row">
                    {dashboardAgreements.installmentOf(
                      agreement.number,
                      dashboardAgreements.installment(installment.number, count),
                    )}
                  </th>
                  <td>{formatDate(installment.dueDate)}</td>
                  <td className="number">{formatCents(installment.amountCents)}</td>
                  <td className="number">
                    {installment.todayCents === null ? "—" : formatCents(installment.todayCents)}
                  </td>
                  <td className="number">{formatCents(installment.paidCents)}</td>
                  <td>
                    {dashboardAgreements.installmentStatuses[installment.status] ?? installment.status}
                    {installment.daysOverdue > 0 ? (
                      <div className="detail">{text.daysOverdue(installment.daysOverdue)}</div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </section>

      <section aria-labelledby="agreement-payments-title">
        <h2 id="agreement-payments-title">{text.payments}</h2>
        {overview.payments.length === 0 ? (
          <p>{text.noPayments}</p>
        ) : (
          <ScrollRegion label={text.paymentsCaption}>
            <table data-testid="agreement-payments">
              <caption className="visually-hidden">{text.paymentsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{text.paidAt}</th>
                  <th scope="col">{text.paidTo}</th>
                  <th scope="col">{text.method}</th>
                  <th scope="col" className="number">
                    {text.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {overview.payments.map((payment) => (
                  <tr key={`${payment.paymentId}:${payment.installmentNumber}`}>
                    <td>{formatDayOf(payment.paidAt, overview.timeZone)}</td>
                    <td>
                      {dashboardAgreements.installment(payment.installmentNumber, count)}
                      {payment.originalInvoiceExternalId ? (
                        <div className="detail">{text.viaOriginal(payment.originalInvoiceExternalId)}</div>
                      ) : null}
                    </td>
                    <td>{dashboardCustomers.timeline.methods[payment.method] ?? payment.method}</td>
                    <td className="number">{formatCents(payment.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>

      {inForce && mayWrite ? (
        <CancelForm agreementId={agreement.id} number={agreement.number} onDone={reload} />
      ) : null}
    </>
  );
}

/** Cancel, with a reason, after a confirmation (POST /v1/agreements/{id}/cancel; the server audits it). */
function CancelForm({
  agreementId,
  number,
  onDone,
}: {
  agreementId: string;
  number: number;
  onDone: () => void;
}) {
  const cancel = text.cancel;
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setConfirming(true);
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/agreements/${agreementId}/cancel`, { reason });
      setConfirming(false);
      onDone();
    } catch (failure) {
      setConfirming(false);
      setError(failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null));
    } finally {
      setBusy(false);
    }
  }

  const reasonProblem = reasonFor(error, "reason");
  return (
    <section aria-labelledby="agreement-cancel-title" className="card">
      <h2 id="agreement-cancel-title">{cancel.title}</h2>
      <p>{cancel.intro}</p>
      <form className="stacked-form" onSubmit={ask}>
        <label htmlFor="agreement-cancel-reason">{cancel.reason}</label>
        <textarea
          id="agreement-cancel-reason"
          rows={2}
          required
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
            setConfirming(false);
          }}
          aria-invalid={reasonProblem ? true : undefined}
          aria-describedby={reasonProblem ? "agreement-cancel-reason-error" : undefined}
        />
        <FieldError id="agreement-cancel-reason-error" message={reasonProblem} />
        {confirming ? (
          <div role="alertdialog" aria-labelledby="agreement-cancel-question" className="confirm">
            <p id="agreement-cancel-question">{cancel.question(number)}</p>
            <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
              {cancel.confirm(number)}
            </button>{" "}
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {cancel.keep}
            </button>
          </div>
        ) : (
          <button type="submit" disabled={busy}>
            {cancel.ask}
          </button>
        )}
      </form>
      <FormOutcome error={error && error.field !== "reason" ? error : null} notice={null} />
    </section>
  );
}
