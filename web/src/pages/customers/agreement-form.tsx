import { useState } from "react";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import type { AgreementSimulation, PlanOption } from "../../../../src/modules/agreements/agreement.ts";
import { ApiError, api } from "../../app/api.ts";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatCents } from "../../app/format.ts";
import type { CustomerOverview } from "./customer-types.ts";

const text = dashboardCustomers.actions.agreement;

/** Simulate → choose an option → create, through the agreements API (POST /v1/agreements…). */
export function AgreementForm({ overview, onDone }: { overview: CustomerOverview; onDone: () => void }) {
  const [simulation, setSimulation] = useState<AgreementSimulation | null>(null);
  const [chosen, setChosen] = useState<number>(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const customerId = overview.customer.id;

  async function attempt(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  const simulate = () =>
    attempt(async () => {
      setSimulation(await api.post<AgreementSimulation>("/v1/agreements/simulate", { customerId }));
      setChosen(0);
    });

  const create = () =>
    attempt(async () => {
      const option = simulation?.options[chosen];
      if (!option) return;
      const agreement = await api.post<{ totalCents: number }>("/v1/agreements", {
        customerId,
        ...option.terms,
      });
      setSimulation(null);
      setNotice(text.done(formatCents(agreement.totalCents)));
      onDone();
    });

  return (
    <div className="stacked-form">
      <h3 id="agreement-title">{text.title}</h3>
      <p>{text.intro}</p>
      {overview.badges.overdueInvoices === 0 && !simulation ? <p>{text.nothingOverdue}</p> : null}
      <button type="button" className="secondary" disabled={busy} onClick={() => void simulate()}>
        {text.simulate}
      </button>
      {simulation ? (
        <fieldset>
          <legend>{text.options}</legend>
          {simulation.options.map((option, index) => (
            <div className="inline-check" key={optionKey(option)}>
              <input
                type="radio"
                id={`agreement-option-${index}`}
                name="agreement-option"
                checked={chosen === index}
                onChange={() => setChosen(index)}
              />
              <label htmlFor={`agreement-option-${index}`}>{describe(option)}</label>
            </div>
          ))}
          <button
            type="button"
            disabled={busy || simulation.options.length === 0}
            onClick={() => void create()}
          >
            {text.create}
          </button>
        </fieldset>
      ) : null}
      <FormOutcome error={error} notice={notice} />
    </div>
  );
}

function optionKey(option: PlanOption): string {
  return `${option.terms.installments}/${option.terms.downPaymentCents}/${option.totalCents}`;
}

function describe(option: PlanOption): string {
  const parts: string[] = [];
  if (option.terms.installments === 0) parts.push(text.settlement);
  else {
    const installment = option.schedule.find((item) => item.number === 1)?.amountCents ?? 0;
    const last = option.schedule.find((item) => item.number === option.terms.installments)?.amountCents;
    parts.push(
      text.installments(
        option.terms.installments,
        formatCents(installment),
        last === undefined || last === installment ? undefined : formatCents(last),
      ),
    );
    const down = option.schedule.find((item) => item.number === 0);
    if (down) parts.push(text.downPayment(formatCents(down.amountCents)));
  }
  if (option.concessionCents > 0) parts.push(text.concession(formatCents(option.concessionCents)));
  return text.option(parts.join(", "), formatCents(option.totalCents));
}
