import { contactRules } from "../../i18n/pt-BR/contact-rules.ts";
import type { ContactChannel } from "../customers/customer.table.ts";

/**
 * Glossary: whether a contact may be used, decided once for the planner and the dispatcher.
 *
 * - usable: a contact the régua may write to on its channel — not opted out (LGPD, honoured at
 *   once), not marked unusable (a hard bounce, an invalid number, replaced by an import), and for
 *   WhatsApp with the debtor's opt-in (the WhatsApp Business policy: no template message without it).
 * - verified only: a step may require the contact's owner to be verified (SMS only to a phone known
 *   to belong to the payer).
 * - fallback: a step with `onlyWithoutChannel` goes only to debtors with no usable contact on that
 *   channel, so that "SMS to whoever has no WhatsApp" reaches exactly the debtors the WhatsApp step
 *   cannot: both read the same `usable`.
 *
 * The SQL form, for the set-based planner, is contact-eligibility.sql.ts; a property test proves the
 * two agree on random contact sets (test/modules/contact-eligibility.test.ts).
 */
export type { ContactChannel };

/** The facts of a contact the rule reads (the contacts table's columns). */
export interface ContactFacts {
  channel: ContactChannel;
  opted_out_at: Date | null;
  unusable_reason: string | null;
  consent_at: Date | null;
  verified_owner: boolean;
}

export interface EligibilityRequirement {
  /** the step asks for a contact whose owner is verified */
  verifiedOnly: boolean;
}

/** Why no contact of a channel may be used: the planner's and the dispatcher's skip code. */
export type ContactSkip = "opted_out" | "no_contact";

export type ContactDecision<T> = { contact: T; skip: null } | { contact: null; skip: ContactSkip };

export const CONTACT_CHANNELS: readonly ContactChannel[] = ["email", "sms", "whatsapp"];

/** Whether the régua may write to this contact on its channel (see the glossary). */
export function isUsable(contact: ContactFacts, requirement: EligibilityRequirement): boolean {
  return (
    contact.opted_out_at === null &&
    contact.unusable_reason === null &&
    (contact.channel !== "whatsapp" || contact.consent_at !== null) &&
    (!requirement.verifiedOnly || contact.verified_owner)
  );
}

/**
 * The contact a message on `channel` goes to — the first usable one in the given order (callers
 * list verified owners first, then the oldest) — or why there is none: `opted_out` when the debtor
 * opted out of that channel, else `no_contact`.
 */
export function decideContact<T extends ContactFacts>(
  contacts: readonly T[],
  channel: ContactChannel,
  requirement: EligibilityRequirement,
): ContactDecision<T> {
  const onChannel = contacts.filter((contact) => contact.channel === channel);
  const usable = onChannel.find((contact) => isUsable(contact, requirement));
  if (usable) return { contact: usable, skip: null };
  const optedOut = onChannel.some((contact) => contact.opted_out_at !== null);
  return { contact: null, skip: optedOut ? "opted_out" : "no_contact" };
}

/**
 * Whether a fallback step (`onlyWithoutChannel`) applies: the debtor has no usable contact on that
 * channel — exactly when a step on that channel would be skipped for want of one.
 */
export function lacksUsableChannel(contacts: readonly ContactFacts[], channel: ContactChannel): boolean {
  return decideContact(contacts, channel, { verifiedOnly: false }).contact === null;
}

/** What the team reads for a message that found no contact (pt-BR). */
export function contactSkipText(skip: ContactSkip, channel: ContactChannel): string {
  return skip === "opted_out" ? contactRules.skip.optedOut(channel) : contactRules.skip.noContact(channel);
}
