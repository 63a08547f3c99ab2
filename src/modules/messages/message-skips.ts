import { contactSkipText, decideContact } from "../contact-eligibility/contact-eligibility.ts";
import type { GroupAction } from "./message.repository.ts";
import type { MessageBatch, MessageContact, MessageCustomer } from "./message-batch.ts";
import { type Prepared, skip } from "./prepared-message.ts";

/**
 * Why a claimed message does not go out, decided at dispatch with the reason the team reads. The
 * planner decided the same things when it planned (contact rule: src/modules/contact-eligibility);
 * these catch what changed since: an anonymised debtor, a window that closed, invoices paid, a
 * contact opted out or bounced.
 */

/** The debtor, or a skip when they were anonymised (LGPD) or are gone. */
export function debtorOrSkip(entry: Prepared, batch: MessageBatch): MessageCustomer | null {
  const customer = batch.customer(entry.row.customer_id);
  if (!customer || customer.anonymized_at) {
    skip(entry, "no_contact", "cliente anonimizado (LGPD)");
    return null;
  }
  return customer;
}

/** The end of the message's contact window: the latest of its actions'. */
export function sendUntilOf(actions: GroupAction[]): Date | null {
  return actions.reduce<Date | null>(
    (latest, action) => (latest && latest > action.send_until ? latest : action.send_until),
    null,
  );
}

/** Skips a message whose contact window closed, or with nothing left to collect; true when skipped. */
export function skippedBeforeSending(entry: Prepared, now: Date, openInvoices: number): boolean {
  if (entry.sendUntil && now > entry.sendUntil) {
    // never outside the debtor's legal contact hours (CDC art. 42): the window of this step is gone
    skip(entry, "window_closed", "a janela de contato do dia terminou antes do envio");
    return true;
  }
  if (openInvoices === 0) {
    skip(entry, "paid", "faturas pagas ou encerradas antes do envio");
    return true;
  }
  return false;
}

/**
 * The contact an e-mail, SMS or WhatsApp message goes to, by the one eligibility rule (with the
 * step's verified-owner requirement), or a skip with the rule's reason. Other channels need none.
 */
export function contactOrSkip(
  entry: Prepared,
  batch: MessageBatch,
  actions: GroupAction[],
): MessageContact | null | "none needed" {
  const channel = entry.row.channel;
  if (channel !== "email" && channel !== "sms" && channel !== "whatsapp") return "none needed";
  const decision = decideContact(batch.contactsOf(entry.row.customer_id), channel, {
    verifiedOnly: actions.some((action) => action.verified_contacts_only),
  });
  if (!decision.contact) {
    skip(entry, decision.skip, contactSkipText(decision.skip, channel));
    return null;
  }
  entry.outcome.contactId = decision.contact.id;
  entry.outcome.recipient = decision.contact.value;
  return decision.contact;
}
