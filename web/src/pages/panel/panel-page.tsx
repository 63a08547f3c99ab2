import { Link } from "react-router";
import type { ReplicaLag } from "../../../../src/http/replica-lag.ts";
import { dashboardPanel } from "../../../../src/i18n/pt-BR/dashboard-panel.ts";
import type { Panel } from "../../../../src/modules/dashboard/panel.ts";
import type { ReportTable } from "../../../../src/modules/reports/report.ts";
import { ReplicaLagNotice } from "../../app/components/replica-lag.tsx";
import { RollupPendingNotice } from "../../app/components/rollup-pending.tsx";
import { formatCents, formatCount, formatDate, formatRatio } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import { RecoveryChart } from "./recovery-chart.tsx";

const text = dashboardPanel;

/** Aging phases from mild to severe; each also carries its text, so colour is never the only signal. */
export const PHASE_COLOURS: Record<string, string> = {
  "1-5": "#2e7d32",
  "6-15": "#8a6d00",
  "16-30": "#c25e00",
  "31-60": "#b3261e",
  "61-90": "#7f1d1d",
  "90+": "#4a148c",
};

/** The delinquency panel: the server computes every figure (GET /v1/dashboard/panel); this shows them. */
export function PanelPage() {
  usePageTitle(text.title);
  const panel = useApiData<Panel & ReplicaLag>("/v1/dashboard/panel");
  return (
    <>
      <h1>{text.title}</h1>
      <WhenLoaded loaded={panel}>
        {(data) => (
          <>
            <ReplicaLagNotice lag={data} />
            <RollupPendingNotice customers={data.pendingCustomers} />
            <PanelBody panel={data} />
          </>
        )}
      </WhenLoaded>
    </>
  );
}

function PanelBody({ panel }: { panel: Panel }) {
  return (
    <>
      <p>{text.asOf(formatDate(panel.asOf))}</p>
      <dl className="tiles">
        <Tile id="overdue" label={text.tiles.overdue} tally={panel.overdue} customers={{ min: 1 }} />
        <Tile
          id="delinquent"
          label={text.tiles.delinquent}
          tally={panel.delinquent}
          customers={{ min: smallDelayDays(panel) + 1 }}
        />
        <Tile id="small-delays" label={text.tiles.smallDelays} tally={panel.smallDelays} />
        <RecoveredThisMonth asOf={panel.asOf} />
        <div className="tile" data-testid="agreements-active">
          <dt>{text.agreements.active}</dt>
          <dd>
            <span data-testid="agreements-active-count">{formatCount(panel.agreements.active)}</span>
            <span className="detail">
              {text.agreements.activeAmount(formatCents(panel.agreements.activeCents))}
            </span>
          </dd>
        </div>
        <div className="tile" data-testid="agreements-broken">
          <dt>{text.agreements.brokenRate}</dt>
          <dd>
            <span data-testid="agreements-broken-rate">
              {panel.agreements.brokenRate === null
                ? text.agreements.noRate
                : formatRatio(panel.agreements.brokenRate)}
            </span>
            <span className="detail">
              {text.agreements.brokenDetail(
                formatCount(panel.agreements.broken),
                formatCount(panel.agreements.completed),
              )}
            </span>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="aging-title">
        <h2 id="aging-title">{text.aging.title}</h2>
        <AgingTable panel={panel} />
      </section>

      <section aria-labelledby="recovery-title">
        <h2 id="recovery-title">{text.recovery.title}</h2>
        <p>{text.recovery.explanation(panel.recovery.attributionDays)}</p>
        <RecoveryChart recovery={panel.recovery} />
      </section>
    </>
  );
}

/** The small delays are the phases up to this many days (the server says where they end). */
function smallDelayDays(panel: Panel): number {
  return panel.aging[0]?.toDays ?? 0;
}

/** The customer list filtered by the days of each customer's oldest overdue invoice. */
function customersPath(days: { min: number; max?: number | null }): string {
  const search = new URLSearchParams({ minDaysOverdue: String(days.min) });
  if (days.max) search.set("maxDaysOverdue", String(days.max));
  return `/clientes?${search}`;
}

/**
 * A tile, with a link to its customers where the customer list can select exactly them (small
 * delays cannot: the list filters by each customer's oldest overdue invoice, not by any of them).
 */
/**
 * What the régua recovered this month and its rate: the recovery report's total (one home for the
 * attribution and the denominator, docs/effectiveness.md) over the messages sent since the 1st.
 */
function RecoveredThisMonth({ asOf }: { asOf: string }) {
  const from = `${asOf.slice(0, 8)}01`;
  const report = useApiData<ReportTable>(`/v1/reports/recovery?from=${from}&to=${asOf}&groupBy=phase`);
  const totals = report.data?.totals;
  const rate = totals?.recoveryRate;
  return (
    <div className="tile" data-testid="recovered-this-month">
      <dt>{text.recoveredThisMonth.label}</dt>
      <dd>
        <span data-testid="recovered-this-month-cents">
          {totals ? formatCents(Number(totals.recoveredPaymentsCents ?? 0)) : "…"}
        </span>
        <span className="detail" data-testid="recovered-this-month-rate">
          {!totals
            ? ""
            : typeof rate === "number"
              ? text.recoveredThisMonth.rate(formatRatio(rate / 10000))
              : text.recoveredThisMonth.noRate}
        </span>
        <span className="detail">{text.recoveredThisMonth.detail(formatDate(from))}</span>
        {report.data?.pendingCustomers ? (
          <span className="detail" role="status" data-testid="recovered-this-month-pending">
            {text.recoveredThisMonth.pending(report.data.pendingCustomers)}
          </span>
        ) : null}
        <Link className="detail" to="/relatorios">
          {text.recoveredThisMonth.report}
        </Link>
      </dd>
    </div>
  );
}

function Tile({
  id,
  label,
  tally,
  customers,
}: {
  id: string;
  label: string;
  tally: Panel["overdue"];
  customers?: { min: number };
}) {
  return (
    <div className="tile" data-testid={id}>
      <dt>{label}</dt>
      <dd>
        <span data-testid={`${id}-cents`}>{formatCents(tally.cents)}</span>
        <span className="detail" data-testid={`${id}-counts`}>
          {text.tiles.invoicesAndCustomers(tally.invoices, tally.customers, formatCount)}
        </span>
        {customers ? (
          <Link className="detail" to={customersPath(customers)} aria-label={text.tiles.customersOf(label)}>
            {text.tiles.seeCustomers}
          </Link>
        ) : null}
      </dd>
    </div>
  );
}

function AgingTable({ panel }: { panel: Panel }) {
  const total = panel.overdue.cents;
  return (
    <table className="aging">
      <caption className="visually-hidden">{text.aging.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{text.aging.phase}</th>
          <th scope="col" className="number">
            {text.aging.amount}
          </th>
          <th scope="col" className="number">
            {text.aging.invoices}
          </th>
          <th scope="col">{text.aging.share}</th>
          <th scope="col">{text.aging.customers}</th>
        </tr>
      </thead>
      <tbody>
        {panel.aging.map((phase) => {
          const share = total > 0 ? phase.cents / total : 0;
          return (
            <tr key={phase.phase} data-testid={`aging-${phase.phase}`}>
              <th scope="row">
                <span
                  className="swatch"
                  style={{ background: PHASE_COLOURS[phase.phase] }}
                  aria-hidden="true"
                />
                {text.aging.labels[phase.phase]}
              </th>
              <td className="number" data-testid={`aging-${phase.phase}-cents`}>
                {formatCents(phase.cents)}
              </td>
              <td className="number" data-testid={`aging-${phase.phase}-invoices`}>
                {formatCount(phase.invoices)}
              </td>
              <td>
                <span className="share">
                  <span
                    className="share-bar"
                    aria-hidden="true"
                    style={{ width: `${(share * 100).toFixed(1)}%`, background: PHASE_COLOURS[phase.phase] }}
                  />
                  <span className="share-text">{formatRatio(share)}</span>
                </span>
              </td>
              <td>
                <Link
                  to={customersPath({ min: phase.fromDays, max: phase.toDays })}
                  aria-label={text.aging.customersOf(text.aging.labels[phase.phase]!)}
                >
                  {text.tiles.seeCustomers}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
