import { useCallback, useState } from "react";
import { useParams } from "react-router";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import { CustomerActions } from "./customer-actions.tsx";
import { CustomerAgreements } from "./customer-agreements.tsx";
import { CustomerInvoices } from "./customer-invoices.tsx";
import { CustomerProfile } from "./customer-profile.tsx";
import { CustomerTimeline } from "./customer-timeline.tsx";
import type { CustomerOverview } from "./customer-types.ts";

const text = dashboardCustomers;

/** One customer: badges, profile and contacts, invoices with today's amounts, actions, timeline. */
export function CustomerPage() {
  const { customerId = "" } = useParams();
  const overview = useApiData<CustomerOverview>(`/v1/customers/${encodeURIComponent(customerId)}/overview`);
  // bumped after an action, so the timeline reads its first page again
  const [timelineVersion, setTimelineVersion] = useState(0);
  // every action on a customer writes: a viewer gets the record without them
  const mayWrite = useMay("write");
  const reloadOverview = overview.reload;
  const refresh = useCallback(() => {
    reloadOverview();
    setTimelineVersion((version) => version + 1);
  }, [reloadOverview]);
  usePageTitle(overview.data ? text.pageTitle(overview.data.customer.name) : text.pageTitle(""));

  return (
    <WhenLoaded loaded={overview}>
      {(data) => (
        <>
          <h1>{data.customer.name}</h1>
          <p>{text.externalId(data.customer.externalId)}</p>
          <Badges overview={data} />
          <div className="columns">
            <CustomerProfile overview={data} />
            {mayWrite ? <CustomerActions overview={data} onDone={refresh} /> : null}
          </div>
          <CustomerInvoices overview={data} />
          <CustomerAgreements overview={data} />
          <CustomerTimeline customerId={data.customer.id} version={timelineVersion} />
        </>
      )}
    </WhenLoaded>
  );
}

function Badges({ overview }: { overview: CustomerOverview }) {
  const { badges, standing, pause, customer } = overview;
  return (
    <ul className="badges" aria-label="Selos do cliente">
      <li>
        <span className={`badge ${badges.overdueInvoices > 0 ? "danger" : "ok"}`} data-testid="badge-overdue">
          {badges.overdueInvoices > 0 ? text.badges.overdue(badges.overdueInvoices) : text.badges.noOverdue}
        </span>
      </li>
      {badges.creditLimitExceeded ? (
        <li>
          <span className="badge danger" data-testid="badge-credit-limit">
            {text.badges.creditLimitExceeded}
          </span>
        </li>
      ) : null}
      {standing ? (
        <li>
          <span className={`badge ${standing.standing === "ok" ? "ok" : "warn"}`}>
            {text.standing.label}: {text.standing.values[standing.standing] ?? standing.standing}
          </span>
        </li>
      ) : null}
      {pause ? (
        <li>
          <span className="badge warn" data-testid="badge-paused">
            {text.badges.paused(formatDate(pause.until))}
          </span>
        </li>
      ) : null}
      {customer.anonymizedAt ? (
        <li>
          <span className="badge warn">{text.badges.anonymized}</span>
        </li>
      ) : null}
    </ul>
  );
}
