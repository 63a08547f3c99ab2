import { useState } from "react";
import { useNavigate } from "react-router";
import { addDays } from "../../../../src/domain/dates.ts";
import { dashboardAgreements } from "../../../../src/i18n/pt-BR/dashboard-agreements.ts";
import { ApiError, api } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatCents, formatDate, parseReais } from "../../app/format.ts";
import type { CustomerOverview } from "../customers/customer-types.ts";
import type { AgreementPreviewView, AgreementSimulationView } from "./agreement-types.ts";

const text = dashboardAgreements.form;

/** What the operator typed, as typed (parsed only when simulating). */
interface Draft {
  invoiceIds: string[];
  downPayment: string;
  installments: string;
  firstDueDate: string;
  dayOfMonth: string;
  discount: string;
  waiveFine: boolean;
  waiveInterest: boolean;
  planInterest: string;
}

/** 1000 basis points → "10"; 250 → "2,5". */
function percentText(bps: number): string {
  return String(bps / 100).replace(".", ",");
}

/** "10", "2,5", "2.5" or "10%" → basis points, or null. */
function parsePercent(value: string): number | null {
  const cleaned = value.replace("%", "").trim();
  if (cleaned === "") return 0;
  if (!/^\d{1,3}([.,]\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned.replace(",", ".")) * 100);
}

function parseWhole(value: string): number | null {
  return /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/**
 * Make an agreement on the customer page: the invoices it covers (with the amounts of the day the
 * server's open-debt model gives), down payment, installments, first due date, discount and
 * waivers, bounded by the operator's limits; the server simulates the terms (POST
 * /v1/agreements/preview, the same check and plan as the creation) before "Criar acordo" is offered,
 * and a refusal is shown beside the field it names.
 */
export function AgreementForm({ overview, onDone }: { overview: CustomerOverview; onDone: () => void }) {
  const navigate = useNavigate();
  const [simulation, setSimulation] = useState<AgreementSimulationView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState<AgreementPreviewView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const customerId = overview.customer.id;

  async function attempt(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    attempt(async () => {
      const answer = await api.post<AgreementSimulationView>("/v1/agreements/simulate", { customerId });
      const best = answer.options[0]?.terms;
      setSimulation(answer);
      setPreview(null);
      setDraft({
        invoiceIds: answer.debt.invoices.map((invoice) => invoice.invoiceId),
        downPayment: "",
        installments: "0",
        firstDueDate: best?.firstDueDate ?? answer.debt.asOf,
        dayOfMonth: String(best?.dayOfMonth ?? 10),
        discount: percentText(best?.principalDiscountBps ?? 0),
        waiveFine: best?.waiveFine ?? false,
        waiveInterest: best?.waiveInterest ?? false,
        planInterest: percentText(answer.limits.monthlyInterestBps),
      });
    });

  const change = (patch: Partial<Draft>) => {
    if (!draft) return;
    setDraft({ ...draft, ...patch });
    // what was simulated is no longer what the form says: simulate again before creating
    setPreview(null);
    setError(null);
    setProblems({});
  };

  /** The terms as the API takes them, or null with each unreadable field's problem set. */
  function termsOf(current: Draft) {
    const found: Record<string, string> = {};
    const downPaymentCents = current.downPayment.trim() === "" ? 0 : parseReais(current.downPayment);
    if (downPaymentCents === null) found.downPaymentCents = text.invalidAmount;
    const installments = parseWhole(current.installments);
    if (installments === null) found.installments = text.invalidWhole;
    const dayOfMonth = parseWhole(current.dayOfMonth);
    if (dayOfMonth === null) found.dayOfMonth = text.invalidWhole;
    const principalDiscountBps = parsePercent(current.discount);
    if (principalDiscountBps === null) found.principalDiscountBps = text.invalidPercent;
    const monthlyInterestBps = parsePercent(current.planInterest);
    if (monthlyInterestBps === null) found.monthlyInterestBps = text.invalidPercent;
    if (current.invoiceIds.length === 0) found.invoiceIds = text.chooseInvoice;
    setProblems(found);
    if (Object.keys(found).length > 0) return null;
    return {
      customerId,
      invoiceIds: current.invoiceIds,
      downPaymentCents: downPaymentCents!,
      installments: installments!,
      dayOfMonth: dayOfMonth!,
      firstDueDate: current.firstDueDate,
      waiveFine: current.waiveFine,
      waiveInterest: current.waiveInterest,
      principalDiscountBps: principalDiscountBps!,
      monthlyInterestBps: monthlyInterestBps!,
    };
  }

  const simulate = () =>
    attempt(async () => {
      if (!draft) return;
      const terms = termsOf(draft);
      if (!terms) return;
      setPreview(await api.post<AgreementPreviewView>("/v1/agreements/preview", terms));
    });

  const create = () =>
    attempt(async () => {
      if (!preview) return;
      const agreement = await api.post<{ id: string }>("/v1/agreements", { customerId, ...preview.terms });
      onDone();
      void navigate(`/acordos/${agreement.id}`);
    });

  const problemOf = (field: string) => problems[field] ?? reasonFor(error, field);
  const described = (field: string, hasHint = false) => {
    const ids = [hasHint ? `${field}-hint` : null, problemOf(field) ? `${field}-error` : null].filter(
      Boolean,
    );
    return {
      "aria-invalid": problemOf(field) ? true : undefined,
      "aria-describedby": ids.length > 0 ? ids.join(" ") : undefined,
    };
  };
  const fieldError = (field: string) => <FieldError id={`${field}-error`} message={problemOf(field)} />;
  // the API's refusal of a field is shown beside it; anything else below the form
  const fields = [
    "invoiceIds",
    "downPaymentCents",
    "installments",
    "firstDueDate",
    "dayOfMonth",
    "principalDiscountBps",
    "waiveFine",
    "waiveInterest",
    "monthlyInterestBps",
  ];
  const generalError = error && !(error.field && fields.includes(error.field)) ? error : null;

  return (
    <div className="stacked-form agreement-form">
      <h3 id="agreement-title">{text.title}</h3>
      <p>{text.intro}</p>
      {!simulation ? (
        <>
          {overview.badges.overdueInvoices === 0 ? <p>{text.nothingOverdue}</p> : null}
          <button type="button" className="secondary" disabled={busy} onClick={() => void start()}>
            {text.start}
          </button>
        </>
      ) : simulation.debt.invoices.length === 0 || !draft ? (
        <p>{text.nothingOverdue}</p>
      ) : (
        <form
          noValidate
          aria-labelledby="agreement-title"
          onSubmit={(event) => {
            event.preventDefault();
            void simulate();
          }}
        >
          <fieldset {...described("invoiceIds")}>
            <legend>{text.invoices}</legend>
            {simulation.debt.invoices.map((invoice) => (
              <div className="inline-check" key={invoice.invoiceId}>
                <input
                  type="checkbox"
                  id={`agreement-invoice-${invoice.invoiceId}`}
                  checked={draft.invoiceIds.includes(invoice.invoiceId)}
                  onChange={(event) =>
                    change({
                      invoiceIds: event.target.checked
                        ? [...draft.invoiceIds, invoice.invoiceId]
                        : draft.invoiceIds.filter((id) => id !== invoice.invoiceId),
                    })
                  }
                />
                <label htmlFor={`agreement-invoice-${invoice.invoiceId}`}>
                  {text.invoice(
                    invoice.description,
                    formatDate(invoice.dueDate),
                    formatCents(invoice.totalCents),
                  )}
                </label>
              </div>
            ))}
            {fieldError("invoiceIds")}
          </fieldset>

          <label htmlFor="agreement-down">{text.downPayment}</label>
          <input
            id="agreement-down"
            inputMode="decimal"
            placeholder="0,00"
            value={draft.downPayment}
            onChange={(event) => change({ downPayment: event.target.value })}
            {...described("downPaymentCents", true)}
          />
          <small id="downPaymentCents-hint">
            {text.downPaymentHint(formatCents(simulation.limits.minInstallmentCents))}
          </small>
          {fieldError("downPaymentCents")}

          <label htmlFor="agreement-installments">{text.installments}</label>
          <input
            id="agreement-installments"
            inputMode="numeric"
            value={draft.installments}
            onChange={(event) => change({ installments: event.target.value })}
            {...described("installments", true)}
          />
          <small id="installments-hint">{text.installmentsHint(simulation.limits.maxInstallments)}</small>
          {fieldError("installments")}

          <label htmlFor="agreement-first-due">{text.firstDueDate}</label>
          <input
            id="agreement-first-due"
            type="date"
            min={simulation.debt.asOf}
            max={addDays(simulation.debt.asOf, 60)}
            value={draft.firstDueDate}
            onChange={(event) => change({ firstDueDate: event.target.value })}
            {...described("firstDueDate", true)}
          />
          <small id="firstDueDate-hint">
            {text.firstDueDateHint(
              formatDate(simulation.debt.asOf),
              formatDate(addDays(simulation.debt.asOf, 60)),
            )}
          </small>
          {fieldError("firstDueDate")}

          <label htmlFor="agreement-day">{text.dayOfMonth}</label>
          <input
            id="agreement-day"
            inputMode="numeric"
            value={draft.dayOfMonth}
            onChange={(event) => change({ dayOfMonth: event.target.value })}
            {...described("dayOfMonth", true)}
          />
          <small id="dayOfMonth-hint">{text.dayOfMonthHint}</small>
          {fieldError("dayOfMonth")}

          <label htmlFor="agreement-discount">{text.discount}</label>
          <input
            id="agreement-discount"
            inputMode="decimal"
            value={draft.discount}
            onChange={(event) => change({ discount: event.target.value })}
            {...described("principalDiscountBps", true)}
          />
          <small id="principalDiscountBps-hint">
            {text.discountHint(
              `${percentText(simulation.limits.maxPrincipalDiscountBps)}%`,
              `${percentText(Math.max(simulation.limits.maxPrincipalDiscountBps, simulation.limits.settlementDiscountBps))}%`,
            )}
          </small>
          {fieldError("principalDiscountBps")}

          <div className="inline-check">
            <input
              id="agreement-waive-fine"
              type="checkbox"
              checked={draft.waiveFine}
              disabled={!simulation.limits.mayWaiveFine}
              onChange={(event) => change({ waiveFine: event.target.checked })}
              {...described("waiveFine")}
            />
            <label htmlFor="agreement-waive-fine">
              {text.waiveFine} ({formatCents(simulation.debt.fineCents)})
              {simulation.limits.mayWaiveFine ? "" : ` — ${text.mayNotWaive}`}
            </label>
          </div>
          {fieldError("waiveFine")}
          <div className="inline-check">
            <input
              id="agreement-waive-interest"
              type="checkbox"
              checked={draft.waiveInterest}
              disabled={!simulation.limits.mayWaiveInterest}
              onChange={(event) => change({ waiveInterest: event.target.checked })}
              {...described("waiveInterest")}
            />
            <label htmlFor="agreement-waive-interest">
              {text.waiveInterest} ({formatCents(simulation.debt.interestCents)})
              {simulation.limits.mayWaiveInterest ? "" : ` — ${text.mayNotWaive}`}
            </label>
          </div>
          {fieldError("waiveInterest")}

          <label htmlFor="agreement-plan-interest">{text.planInterest}</label>
          <input
            id="agreement-plan-interest"
            inputMode="decimal"
            value={draft.planInterest}
            onChange={(event) => change({ planInterest: event.target.value })}
            {...described("monthlyInterestBps", true)}
          />
          <small id="monthlyInterestBps-hint">
            {text.planInterestHint(`${percentText(simulation.limits.monthlyInterestBps)}%`)}
          </small>
          {fieldError("monthlyInterestBps")}

          <button type="submit" className="secondary" disabled={busy}>
            {text.simulate}
          </button>
        </form>
      )}
      {preview ? <Simulation preview={preview} busy={busy} onCreate={() => void create()} /> : null}
      <FormOutcome error={generalError} notice={null} />
    </div>
  );
}

/** The server's simulation of the terms: every payment with its date and amount, the concessions, the total. */
function Simulation({
  preview,
  busy,
  onCreate,
}: {
  preview: AgreementPreviewView;
  busy: boolean;
  onCreate: () => void;
}) {
  const count = preview.terms.installments;
  return (
    <section
      aria-labelledby="agreement-simulation-title"
      className="simulation"
      data-testid="agreement-simulation"
    >
      <h4 id="agreement-simulation-title">{text.simulation}</h4>
      <table>
        <caption className="visually-hidden">{text.scheduleCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.payment}</th>
            <th scope="col">{text.dueDate}</th>
            <th scope="col" className="number">
              {text.amount}
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.schedule.map((payment) => (
            <tr key={payment.number}>
              <th scope="row">{dashboardAgreements.installment(payment.number, count)}</th>
              <td>{formatDate(payment.dueDate)}</td>
              <td className="number">{formatCents(payment.amountCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts">
        <dt>{text.debtToday}</dt>
        <dd>{formatCents(preview.debt.totalCents)}</dd>
        {preview.concessions.fineCents > 0 ? (
          <>
            <dt>{text.fineWaived}</dt>
            <dd>− {formatCents(preview.concessions.fineCents)}</dd>
          </>
        ) : null}
        {preview.concessions.interestCents > 0 ? (
          <>
            <dt>{text.interestWaived}</dt>
            <dd>− {formatCents(preview.concessions.interestCents)}</dd>
          </>
        ) : null}
        {preview.concessions.discountCents > 0 ? (
          <>
            <dt>{text.discountGiven}</dt>
            <dd>− {formatCents(preview.concessions.discountCents)}</dd>
          </>
        ) : null}
        {preview.planInterestCents > 0 ? (
          <>
            <dt>{text.planInterestAdded}</dt>
            <dd>+ {formatCents(preview.planInterestCents)}</dd>
          </>
        ) : null}
        <dt>{text.total}</dt>
        <dd data-testid="agreement-simulation-total">
          <strong>{formatCents(preview.totalCents)}</strong>
        </dd>
      </dl>
      <button type="button" disabled={busy} onClick={onCreate}>
        {text.create}
      </button>
    </section>
  );
}
