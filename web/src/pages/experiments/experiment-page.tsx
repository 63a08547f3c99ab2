import { useState } from "react";
import { Link, useParams } from "react-router";
import { dashboardExperiments as text } from "../../../../src/i18n/pt-BR/dashboard-experiments.ts";
import { type ApiError, api } from "../../app/api.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import {
  formatCents,
  formatCount,
  formatDate,
  formatPoints,
  formatRatio,
  formatSignedCents,
} from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useOperator } from "../../app/session.tsx";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { Comparison, ExperimentResults } from "./experiment-types.ts";

/**
 * One experiment: each arm's recovery, the uplift in rate and amount with its 95% interval and the
 * sample-size note — all computed by the server (src/domain/experiment-stats.ts), only shown here —
 * and, for an admin while it runs, the stop.
 */
export function ExperimentPage() {
  const { experimentId } = useParams();
  const results = useApiData<ExperimentResults>(`/v1/experiments/${experimentId}`);
  const operator = useOperator();
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(results.data?.experiment.name ?? text.title);

  async function stop(name: string) {
    if (!window.confirm(text.confirmStop(name))) return;
    setError(null);
    try {
      await api.post(`/v1/experiments/${experimentId}/stop`);
      setNotice(text.stopped);
      results.reload();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }

  return (
    <>
      <p>
        <Link to="/experimentos">{text.back}</Link>
      </p>
      <WhenLoaded loaded={results}>
        {(data) => (
          <>
            <h1>{data.experiment.name}</h1>
            <p>
              <span className={data.experiment.status === "running" ? "badge ok" : "badge"}>
                {text.status[data.experiment.status]}
              </span>{" "}
              {text.summary(formatDate(data.experiment.startedOn), data.experiment.horizonDays)}{" "}
              {text.measuredUntil(formatDate(data.measuredUntil))}
            </p>
            {/* stopping is the `policies` permission: admins only (src/http/permissions.ts) */}
            {operator.role === "admin" && data.experiment.status === "running" ? (
              <p>
                <button type="button" onClick={() => stop(data.experiment.name)}>
                  {text.stop}
                </button>
              </p>
            ) : null}
            <FormOutcome error={error} notice={notice} />
            <section aria-labelledby="arms">
              <h2 id="arms">{text.armsTitle}</h2>
              <DataTable
                caption={text.armsCaption}
                captionHidden
                scrollLabel={text.armsCaption}
                empty={text.noArms}
                columns={[
                  { label: text.armColumns.arm },
                  { label: text.armColumns.customers, numeric: true },
                  { label: text.armColumns.invoices, numeric: true },
                  { label: text.armColumns.recovered, numeric: true },
                  { label: text.armColumns.rate, numeric: true },
                  { label: text.armColumns.amount, numeric: true },
                  { label: text.armColumns.messages, numeric: true },
                  { label: text.armColumns.cost, numeric: true },
                ]}
                rows={data.arms}
                rowKey={(arm) => arm.arm}
                cells={(arm) => (
                  <>
                    <th scope="row">{text.arms[arm.arm]}</th>
                    <td className="number">{formatCount(arm.customers)}</td>
                    <td className="number">{formatCount(arm.invoices)}</td>
                    <td className="number">{formatCount(arm.recovered)}</td>
                    <td className="number">{formatRatio(arm.recoveryRate)}</td>
                    <td className="number">{formatCents(arm.recoveredCents)}</td>
                    <td className="number">{formatCount(arm.messages)}</td>
                    <td className="number">{formatCents(arm.messageCostCents)}</td>
                  </>
                )}
              />
            </section>
            <section aria-labelledby="uplift">
              <h2 id="uplift">{text.upliftTitle}</h2>
              {data.comparisons.length === 0 ? <p>{text.noComparison}</p> : null}
              {data.comparisons.map((comparison) => (
                <ComparisonCard key={comparison.name} comparison={comparison} />
              ))}
            </section>
          </>
        )}
      </WhenLoaded>
    </>
  );
}

const pValueFormat = new Intl.NumberFormat("pt-BR", { maximumSignificantDigits: 2 });

/** '0,042', or '< 0,001' below that: more digits say nothing an operator can use. */
function formatPValue(value: number): string {
  return value < 0.001 ? `< ${pValueFormat.format(0.001)}` : pValueFormat.format(value);
}

function ComparisonCard({ comparison }: { comparison: Comparison }) {
  const id = `comparison-${comparison.name}`;
  return (
    <article className="card" aria-labelledby={id} data-testid={id}>
      <h3 id={id}>{text.comparisons[comparison.name]}</h3>
      <dl>
        <dt>{text.rateLabel}</dt>
        <dd data-testid="rate-uplift">
          <strong>{formatPoints(comparison.rate.difference)}</strong> (
          {text.interval(formatPoints(comparison.rate.low), formatPoints(comparison.rate.high))};{" "}
          {text.pValue(formatPValue(comparison.rate.pValue))}) —{" "}
          {comparison.rate.significant ? text.significant : text.notSignificant}
        </dd>
        <dt>{text.amountLabel}</dt>
        <dd data-testid="amount-uplift">
          <strong>{formatSignedCents(comparison.amountPerInvoiceCents.difference)}</strong> (
          {text.interval(
            formatSignedCents(comparison.amountPerInvoiceCents.low),
            formatSignedCents(comparison.amountPerInvoiceCents.high),
          )}
          ) — {comparison.amountPerInvoiceCents.significant ? text.significant : text.notSignificant}
        </dd>
        <dt>{text.sampleTitle}</dt>
        <dd data-testid="sample-note">{comparison.note}</dd>
      </dl>
    </article>
  );
}
