import { useEffect, useState } from "react";
import { Link } from "react-router";
import { formatContact } from "../../../../src/domain/phones.ts";
import { dashboardAgreements } from "../../../../src/i18n/pt-BR/dashboard-agreements.ts";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { paymentMethodLabels } from "../../../../src/i18n/pt-BR/payment-methods.ts";
import { SKIP_REASONS } from "../../../../src/i18n/pt-BR/skip-reasons.ts";
import { templateTitle } from "../../../../src/i18n/pt-BR/template-names.ts";
import { ApiError, api, query } from "../../app/api.ts";
import { formatCents, formatDate, formatInstant } from "../../app/format.ts";
import { ErrorBox, Loading } from "../../app/ui.tsx";
import type { TimelineEntry, TimelinePage } from "./customer-types.ts";

const text = dashboardCustomers.timeline;
const PAGE_SIZE = 30;

/** Everything that happened with the customer, newest first, a page at a time. */
export function CustomerTimeline({ customerId, version }: { customerId: string; version: number }) {
  const [entries, setEntries] = useState<TimelineEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const base = `/v1/customers/${encodeURIComponent(customerId)}/timeline`;

  useEffect(() => {
    void version;
    let cancelled = false;
    api
      .get<TimelinePage>(`${base}${query({ limit: PAGE_SIZE })}`)
      .then((page) => {
        if (cancelled) return;
        setEntries(page.data);
        setCursor(page.next_cursor);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!cancelled)
          setError(failure instanceof ApiError ? failure : new ApiError(0, "x", String(failure), null));
      });
    return () => {
      cancelled = true;
    };
  }, [base, version]);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<TimelinePage>(`${base}${query({ limit: PAGE_SIZE, cursor })}`);
      setEntries((current) => [...(current ?? []), ...page.data]);
      setCursor(page.next_cursor);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "x", String(failure), null));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{text.title}</h2>
      {error ? <ErrorBox error={error} /> : null}
      {entries === null ? (
        error ? null : (
          <Loading />
        )
      ) : entries.length === 0 ? (
        <p>{text.empty}</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {entries.map((entry) => (
            <li key={`${entry.kind}:${entry.id}`} data-kind={entry.kind}>
              <time dateTime={entry.at}>{formatInstant(entry.at)}</time>
              <Entry entry={entry} />
            </li>
          ))}
        </ol>
      )}
      {cursor ? (
        <button type="button" className="secondary" disabled={loadingMore} onClick={() => void loadMore()}>
          {text.more}
        </button>
      ) : null}
    </section>
  );
}

function str(value: unknown): string {
  return typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const data = entry.data;
  switch (entry.kind) {
    case "message": {
      const channel = text.channels[str(data.channel)] ?? str(data.channel);
      const state = text.messageStates[str(data.state)] ?? str(data.state);
      const reason = str(data.reason);
      return (
        <>
          <h3>{text.messageHeading(channel, state)}</h3>
          {data.template ? (
            <p className="detail">{text.template(templateTitle(str(data.template)))}</p>
          ) : null}
          {reason && data.state === "skipped" ? (
            <p data-testid="not-sent-reason">{text.notSentBecause(reason)}</p>
          ) : null}
          {reason && (data.state === "failed" || data.state === "bounced") ? (
            <p>{text.failedBecause(reason)}</p>
          ) : null}
          {data.recipient ? <p>{text.to(formatContact(str(data.recipient)))}</p> : null}
          {data.subject ? (
            <p>
              <strong>{str(data.subject)}</strong>
            </p>
          ) : null}
          {data.body ? <pre className="message-body">{str(data.body)}</pre> : null}
        </>
      );
    }
    case "standing": {
      const values = dashboardCustomers.standing.values;
      return (
        <>
          <h3>
            {text.standingChange(
              values[str(data.from)] ?? str(data.from),
              values[str(data.to)] ?? str(data.to),
            )}
          </h3>
          <p>{str(data.reason)}</p>
        </>
      );
    }
    case "payment": {
      const paid =
        data.agreementNumber === null || data.agreementNumber === undefined
          ? text.payment(formatCents(Number(data.amountCents)), str(data.invoiceExternalId))
          : text.paymentOf(
              formatCents(Number(data.amountCents)),
              dashboardAgreements.installmentOf(
                Number(data.agreementNumber),
                dashboardAgreements.installment(
                  Number(data.installmentNumber),
                  Number(data.installmentCount),
                ),
              ),
            );
      return (
        <h3>
          {paid} · {text.methods[str(data.method)] ?? str(data.method)}
        </h3>
      );
    }
    case "call": {
      const outcome = dashboardCustomers.actions.call.outcomes[str(data.outcome)] ?? str(data.outcome);
      return (
        <>
          <h3>{text.call(outcome)}</h3>
          {data.promisedOn ? (
            <p>{text.promise(formatCents(Number(data.promisedCents)), formatDate(str(data.promisedOn)))}</p>
          ) : null}
          {data.body ? <p>{str(data.body)}</p> : null}
          {data.operatorName ? <p className="detail">{text.by(str(data.operatorName))}</p> : null}
        </>
      );
    }
    case "note":
      return (
        <>
          <h3>{text.kinds.note}</h3>
          <p>{str(data.body)}</p>
          {data.operatorName ? <p className="detail">{text.by(str(data.operatorName))}</p> : null}
        </>
      );
    case "pause":
      return (
        <>
          <h3>{text.pause(formatDate(str(data.until)))}</h3>
          <p>
            {str(data.reason)}
            {data.releasedAt ? ` (${text.released})` : ""}
          </p>
        </>
      );
    case "dispute":
      return (
        <>
          <h3>{text.dispute}</h3>
          <p>{str(data.reason)}</p>
        </>
      );
    case "agreement": {
      const status = dashboardCustomers.agreementsList.statuses[str(data.status)] ?? str(data.status);
      return (
        <>
          <h3>
            {text.agreement(
              dashboardAgreements.name(Number(data.number)),
              status.toLowerCase(),
              formatCents(Number(data.totalCents)),
            )}
          </h3>
          <p>
            <Link to={`/acordos/${str(data.agreementId)}`}>{text.openAgreement}</Link>
          </p>
        </>
      );
    }
    case "plan_change": {
      const what = data.changeKind === "plan" ? "plan" : "payment_method";
      const label = (value: string) => (what === "plan" ? value : (paymentMethodLabels[value] ?? value));
      return (
        <>
          <h3>{text.planChange(what, label(str(data.currentValue)), label(str(data.requestedValue)))}</h3>
          <p>
            {data.monthlyPriceCents != null
              ? `${text.planChangePrice(formatCents(Number(data.monthlyPriceCents)))} · `
              : ""}
            {text.planChangeStatuses[str(data.status)] ?? str(data.status)}
          </p>
        </>
      );
    }
    case "action": {
      const channel = text.channels[str(data.channel)] ?? str(data.channel);
      const skipCode = str(data.skipReason);
      return (
        <>
          <h3>
            {data.status === "skipped"
              ? text.skipped(channel)
              : text.scheduled(channel, formatInstant(str(data.scheduledFor)))}
          </h3>
          {skipCode ? (
            <p data-testid="not-sent-reason">{text.notSentBecause(SKIP_REASONS[skipCode] ?? skipCode)}</p>
          ) : null}
          <p className="detail">
            {text.template(templateTitle(str(data.template)))} ·{" "}
            {text.stepOf(str(data.stepName), str(data.invoiceExternalId))}
          </p>
        </>
      );
    }
    case "group": {
      const purpose = dashboardWork.groupPurpose[str(data.purpose)] ?? str(data.purpose);
      const say = data.change === "removed" ? text.groupRemoved : text.groupAdded;
      return (
        <h3>
          <Link to={`/grupos/${str(data.groupId)}`}>{say(str(data.groupName), purpose)}</Link>
        </h3>
      );
    }
    case "contact": {
      const channel = text.channels[str(data.channel)] ?? str(data.channel);
      const value = formatContact(str(data.value));
      if (data.source) {
        const say = text.contactChange[str(data.detail ?? data.change)] ?? text.contactChange.added!;
        const by = text.contactChangedBy[str(data.source)];
        const who = data.operatorName ?? data.apiKeyName;
        return (
          <>
            <h3>{say(channel, value)}</h3>
            {by ? <p>{by(who ? str(who) : null)}</p> : null}
          </>
        );
      }
      const say = data.change === "opted_out" ? text.optedOut : text.contactConfirmed;
      return <h3>{say(channel, value)}</h3>;
    }
    default:
      return (
        <>
          <h3>{text.kinds[entry.kind] ?? entry.kind}</h3>
          {data.title ? <p>{str(data.title)}</p> : null}
          {data.body ? <p>{str(data.body)}</p> : null}
        </>
      );
  }
}
