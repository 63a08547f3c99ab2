import { Link } from "react-router";
import { dashboardAgreements } from "../../../../src/i18n/pt-BR/dashboard-agreements.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { openDebt } from "../../../../src/i18n/pt-BR/open-debt.ts";
import { formatCents, formatCount, formatDate } from "../../app/format.ts";
import type { CustomerOverview } from "./customer-types.ts";

const text = dashboardCustomers.invoices;

/** The invoices, newest due date first, with what each is owed today (fine and interest included). */
export function CustomerInvoices({ overview }: { overview: CustomerOverview }) {
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">{text.title}</h2>
      {overview.invoices.length === 0 ? (
        <p>{text.empty}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{text.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.invoice}</th>
              <th scope="col">{text.dueDate}</th>
              <th scope="col">{text.status}</th>
              <th scope="col" className="number">
                {text.amount}
              </th>
              <th scope="col" className="number">
                {text.daysOverdue}
              </th>
              <th scope="col" className="number">
                {text.charges}
              </th>
              <th scope="col" className="number">
                {text.totalToday}
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.invoices.map((invoice) => (
              <tr key={invoice.id} data-testid={`invoice-${invoice.externalId}`}>
                <th scope="row">
                  {invoice.installment ? (
                    // an installment is named by its agreement, never by its generated code
                    <Link to={`/acordos/${invoice.installment.agreementId}`}>
                      {dashboardAgreements.installmentOf(
                        invoice.installment.agreementNumber,
                        dashboardAgreements.installment(
                          invoice.installment.number,
                          invoice.installment.count,
                        ),
                      )}
                    </Link>
                  ) : (
                    <>
                      {invoice.externalId}
                      {invoice.description ? <div className="detail">{invoice.description}</div> : null}
                    </>
                  )}
                </th>
                <td>{formatDate(invoice.dueDate)}</td>
                <td data-testid="invoice-status">
                  {invoice.agreement ? (
                    <>
                      {openDebt.inAgreement}
                      <div className="detail">
                        {openDebt.inAgreementDetail(
                          openDebt.agreementStatuses[invoice.agreement.status] ?? invoice.agreement.status,
                        )}
                      </div>
                    </>
                  ) : (
                    (text.statuses[invoice.status] ?? invoice.status)
                  )}
                </td>
                <td className="number">{formatCents(invoice.amountCents)}</td>
                <td className="number">{invoice.daysOverdue > 0 ? formatCount(invoice.daysOverdue) : "—"}</td>
                <td className="number">
                  {invoice.today ? formatCents(invoice.today.fineCents + invoice.today.interestCents) : "—"}
                </td>
                <td className="number" data-testid="invoice-total-today">
                  {invoice.owed && invoice.today ? formatCents(invoice.today.totalDueCents) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
