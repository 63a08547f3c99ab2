import { Link } from "react-router";
import { dashboardAgreements } from "../../../../src/i18n/pt-BR/dashboard-agreements.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { formatCents, formatDayOf } from "../../app/format.ts";
import type { CustomerOverview } from "./customer-types.ts";

const text = dashboardCustomers.agreementsList;

/** The customer's agreements, newest first, each a link to its page ("Acordo nº 12"). */
export function CustomerAgreements({ overview }: { overview: CustomerOverview }) {
  return (
    <section aria-labelledby="agreements-title">
      <h2 id="agreements-title">{text.title}</h2>
      {overview.agreements.length === 0 ? (
        <p>{text.empty}</p>
      ) : (
        <ul data-testid="customer-agreements">
          {overview.agreements.map((agreement) => (
            <li key={agreement.id}>
              <Link to={`/acordos/${agreement.id}`}>{dashboardAgreements.name(agreement.number)}</Link>{" "}
              {text.item(
                text.statuses[agreement.status] ?? agreement.status,
                formatCents(agreement.totalCents),
                formatDayOf(agreement.createdAt, overview.timeZone),
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
