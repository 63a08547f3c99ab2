import { Link, useParams } from "react-router";
import { dashboardCampaigns as text } from "../../../../src/i18n/pt-BR/dashboard-campaigns.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import {
  formatCents,
  formatCount,
  formatDate,
  formatInstant,
  formatPoints,
  formatRatio,
  formatSignedCents,
} from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { CampaignResults } from "./campaign-types.ts";
import { offerText } from "./campaigns-page.tsx";

/**
 * One campaign: per arm the customers, their debt, acceptances and what was recovered, and the
 * offer's uplift over the holdout with its 95% interval — computed by the server (the experiments'
 * statistics, src/domain/experiment-stats.ts), only shown here.
 */
export function CampaignPage() {
  const { campaignId } = useParams();
  // JSON carries the instant as text
  const results = useApiData<Omit<CampaignResults, "measuredAt"> & { measuredAt: string }>(
    `/v1/campaigns/${campaignId}`,
  );
  usePageTitle(results.data?.campaign.name ?? text.title);
  return (
    <>
      <p>
        <Link to="/campanhas">{text.back}</Link>
      </p>
      <WhenLoaded loaded={results}>
        {(data) => (
          <>
            <h1>{data.campaign.name}</h1>
            <p>
              {offerText(data.campaign.offer)} · {text.columns.validUntil}{" "}
              {formatDate(data.campaign.validUntil)} · {text.measuredAt(formatInstant(data.measuredAt))}
            </p>
            <section aria-labelledby="arms">
              <h2 id="arms">{text.armsTitle}</h2>
              <DataTable
                caption={text.armsCaption}
                captionHidden
                scrollLabel={text.armsCaption}
                empty={text.noHoldout}
                columns={[
                  { label: text.armColumns.arm },
                  { label: text.armColumns.customers, numeric: true },
                  { label: text.armColumns.debt, numeric: true },
                  { label: text.armColumns.accepted, numeric: true },
                  { label: text.armColumns.recovered, numeric: true },
                  { label: text.armColumns.rate, numeric: true },
                  { label: text.armColumns.amount, numeric: true },
                  { label: text.armColumns.share, numeric: true },
                ]}
                rows={data.arms}
                rowKey={(arm) => arm.arm}
                cells={(arm) => (
                  <>
                    <th scope="row">{text.arms[arm.arm]}</th>
                    <td className="number">{formatCount(arm.customers)}</td>
                    <td className="number">{formatCents(arm.debtCents)}</td>
                    <td className="number">{formatCount(arm.accepted)}</td>
                    <td className="number">{formatCount(arm.recovered)}</td>
                    <td className="number">{formatRatio(arm.recoveryRate)}</td>
                    <td className="number">{formatCents(arm.recoveredCents)}</td>
                    <td className="number">{formatRatio(arm.recoveredShare)}</td>
                  </>
                )}
              />
            </section>
            <section aria-labelledby="uplift">
              <h2 id="uplift">{text.upliftTitle}</h2>
              {data.uplift ? (
                <dl className="card">
                  <dt>{text.rateLabel}</dt>
                  <dd data-testid="rate-uplift">
                    <strong>{formatPoints(data.uplift.rate.difference)}</strong> (
                    {text.interval(formatPoints(data.uplift.rate.low), formatPoints(data.uplift.rate.high))})
                    — {data.uplift.rate.significant ? text.significant : text.notSignificant}
                  </dd>
                  <dt>{text.amountLabel}</dt>
                  <dd data-testid="amount-uplift">
                    <strong>{formatSignedCents(data.uplift.amountPerCustomerCents.difference)}</strong> (
                    {text.interval(
                      formatSignedCents(data.uplift.amountPerCustomerCents.low),
                      formatSignedCents(data.uplift.amountPerCustomerCents.high),
                    )}
                    ) —{" "}
                    {data.uplift.amountPerCustomerCents.significant ? text.significant : text.notSignificant}
                  </dd>
                  <dt>{text.sampleTitle}</dt>
                  <dd>{data.uplift.note}</dd>
                </dl>
              ) : (
                <p>{text.noHoldout}</p>
              )}
            </section>
          </>
        )}
      </WhenLoaded>
    </>
  );
}
