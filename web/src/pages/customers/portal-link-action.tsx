import { useState } from "react";
import { dashboardCustomers } from "../../../../src/i18n/pt-BR/dashboard-customers.ts";
import { ApiError, api } from "../../app/api.ts";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatInstant } from "../../app/format.ts";

const text = dashboardCustomers.actions.portalLink;

/**
 * Gives the analyst a signed portal link for the customer on the line: made on request (each link
 * expires), shown to be read out or pasted into a chat, and copied with one click.
 */
export function PortalLinkAction({ customerId }: { customerId: string }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setLink(
        await api.post<{ url: string; expiresAt: string }>(`/v1/customers/${customerId}/portal-link`, {
          purpose: "home",
        }),
      );
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : String(failure));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setNotice(text.copied);
    } catch {
      setNotice(text.copyByHand);
    }
  }

  return (
    <section className="stacked-form" aria-labelledby="portal-link-title">
      <h3 id="portal-link-title">{text.title}</h3>
      <p>{text.help}</p>
      <button type="button" onClick={create} disabled={busy}>
        {link ? text.again : text.create}
      </button>
      {link ? (
        <>
          <label htmlFor="portal-link-url">{text.url}</label>
          <input id="portal-link-url" readOnly value={link.url} onFocus={(event) => event.target.select()} />
          <p>{text.expires(formatInstant(link.expiresAt))}</p>
          <button type="button" onClick={copy}>
            {text.copy}
          </button>
        </>
      ) : null}
      <FormOutcome error={error} notice={notice} />
    </section>
  );
}
