import { formatDocument } from "../../../../src/domain/documents.ts";
import { formatContact } from "../../../../src/domain/phones.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { formatCents, formatDayOf } from "../../app/format.ts";
import type { CustomerOverview } from "./customer-types.ts";

const text = dashboardCustomers;

export function CustomerProfile({ overview }: { overview: CustomerOverview }) {
  const { customer, badges } = overview;
  const address = [
    [customer.address.street, customer.address.number].filter(Boolean).join(", "),
    customer.address.district,
    [customer.address.city, customer.address.state].filter(Boolean).join("/"),
    customer.address.postalCode,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <section aria-labelledby="profile-title" className="card">
      <h2 id="profile-title">{text.profile.title}</h2>
      <dl className="facts">
        <dt>{text.profile.document}</dt>
        <dd data-testid="document">{formatDocument(customer.document)}</dd>
        <dt>{text.profile.kind}</dt>
        <dd>{text.kinds[customer.kind] ?? customer.kind}</dd>
        <dt>{text.profile.address}</dt>
        <dd>{address || text.profile.none}</dd>
        <dt>{text.profile.tags}</dt>
        <dd>{customer.tags.length > 0 ? customer.tags.join(", ") : text.profile.none}</dd>
        <dt>{text.profile.creditLimit}</dt>
        <dd>
          {customer.creditLimitCents === null
            ? text.profile.noCreditLimit
            : formatCents(customer.creditLimitCents)}
        </dd>
        <dt>{text.profile.openAmount}</dt>
        <dd>{formatCents(badges.openCents)}</dd>
        <dt>{text.profile.totalDueToday}</dt>
        <dd data-testid="total-due-today">{formatCents(badges.totalDueTodayCents)}</dd>
      </dl>

      <h3>{text.contacts.title}</h3>
      <DataTable
        caption={text.contacts.caption}
        captionHidden
        empty={text.contacts.empty}
        columns={[
          { label: text.contacts.channel },
          { label: text.contacts.value },
          { label: text.contacts.consent },
          { label: text.contacts.status },
        ]}
        rows={customer.contacts}
        rowKey={(contact) => contact.id}
        cells={(contact) => (
          <>
            <td>{text.contacts.channels[contact.channel] ?? contact.channel}</td>
            <td>{formatContact(contact.value)}</td>
            <td>
              {contact.consentAt
                ? text.contacts.consentAt(formatDayOf(contact.consentAt, overview.timeZone))
                : text.contacts.noConsent}
            </td>
            <td>
              {contact.optedOutAt
                ? text.contacts.optedOut(formatDayOf(contact.optedOutAt, overview.timeZone))
                : contact.unusableReason
                  ? text.contacts.unusable(contact.unusableReason)
                  : text.contacts.usable}
              {contact.verifiedOwner ? ` · ${text.contacts.verified}` : ""}
            </td>
          </>
        )}
      />
    </section>
  );
}
