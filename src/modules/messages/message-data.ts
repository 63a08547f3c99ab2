import { randomBytes } from "node:crypto";
import { publicUrl } from "../../shared/config.ts";
import { campaignOfGroupKey, type OfferOfMessage } from "../campaigns/campaign-message.ts";
import type { LinkPurpose } from "../portal/portal-link.ts";
import { messageInvoiceOf } from "../templates/message-invoice.ts";
import type { MessageData, MessageInvoice } from "../templates/render.ts";
import { creditorOf } from "../tenants/tenant.ts";
import type { GroupAction, insertShortLinks } from "./message.repository.ts";
import type { MessageRow } from "./message.table.ts";
import type { MessageBatch, MessageCustomer } from "./message-batch.ts";

/**
 * The data a message is rendered from: the creditor, the debtor, each invoice with its amount of
 * the day, and the short links (second copy, portal, opt-out) that lead to signed portal links.
 */

type ShortLink = Parameters<typeof insertShortLinks>[1][number];
type PortalLinkSigner = (customerId: string, purpose: LinkPurpose, expiresAt: Date) => string;

/** Random bytes drawn a few thousand at a time: three codes a message, thousands a batch. */
let codeBytes = Buffer.alloc(0);
let codeOffset = 0;

/** 48 random bits (8 characters, URL-safe) for a short link. */
function shortCode(): string {
  if (codeOffset + 6 > codeBytes.length) {
    codeBytes = randomBytes(6 * 1024);
    codeOffset = 0;
  }
  codeOffset += 6;
  return codeBytes.toString("base64url", codeOffset - 6, codeOffset);
}

/** "Rua X, 10, Centro, São Paulo/SP, 01000-000", or null without a street. */
export function postalAddress(customer: {
  address_street: string | null;
  address_number: string | null;
  address_district: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
}): string | null {
  if (!customer.address_street) return null;
  const city = [customer.address_city, customer.address_state].filter(Boolean).join("/");
  return [
    customer.address_street,
    customer.address_number,
    customer.address_district,
    city,
    customer.address_postal_code,
  ]
    .filter((part) => part)
    .join(", ");
}

/** Collects a batch's short links (written in one statement); each leads to a signed portal link. */
export class ShortLinks {
  readonly links: ShortLink[] = [];
  private readonly base = publicUrl();
  private readonly tenantId: string;
  /** the tenant's route ("1k."), so a code finds its tenant alone (tenants/token-route.ts) */
  private readonly routePrefix: string;
  private readonly sign: PortalLinkSigner;
  private readonly expiresAt: Date;

  constructor(tenantId: string, routePrefix: string, sign: PortalLinkSigner, expiresAt: Date) {
    this.tenantId = tenantId;
    this.routePrefix = routePrefix;
    this.sign = sign;
    this.expiresAt = expiresAt;
  }

  /** A short link of the message to a portal page; returns its public URL. */
  add(
    row: MessageRow,
    purpose: LinkPurpose,
    kind: "link" | "optout" = "link",
    contactId: string | null = null,
    expiresAt: Date = this.expiresAt,
  ): string {
    const code = `${this.routePrefix}${shortCode()}`;
    this.links.push({
      code,
      tenant_id: this.tenantId,
      message_id: row.id,
      kind,
      contact_id: contactId,
      url: this.sign(row.customer_id, purpose, expiresAt),
    });
    return `${this.base}/l/${code}`;
  }

  /**
   * The URL of the message's tracking image (an e-mail's open, docs/messages.md § Opens): a code
   * of kind 'open' that leads nowhere, with the contact so an opt-out stops the recording.
   */
  addOpen(row: MessageRow, contactId: string | null): string {
    const code = `${this.routePrefix}${shortCode()}`;
    this.links.push({
      code,
      tenant_id: this.tenantId,
      message_id: row.id,
      kind: "open",
      contact_id: contactId,
      url: null,
    });
    return `${this.base}/o/${code}`;
  }
}

/**
 * The message's invoices still open today, each with its amount of the day and a second-copy link,
 * oldest due first. Paid, cancelled and settled invoices drop out.
 */
export function invoicesOfMessage(
  batch: MessageBatch,
  row: MessageRow,
  actions: GroupAction[],
  today: string,
  links: ShortLinks,
): MessageInvoice[] {
  const invoices: MessageInvoice[] = [];
  for (const action of actions) {
    const invoice = batch.invoice(action.invoice_id);
    // what is owed on the day, with a boleto and Pix for that amount (the open-debt read model)
    const owed = batch.settlements.owedOn(action.invoice_id, today);
    if (!invoice || !owed || invoice.status !== "open") continue;
    invoices.push(messageInvoiceOf(owed, links.add(row, { kind: "invoice", invoiceId: invoice.id })));
  }
  return invoices.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Everything the template may speak of, with the message's portal and opt-out links. */
export function messageData(
  batch: MessageBatch,
  row: MessageRow,
  customer: MessageCustomer,
  invoices: MessageInvoice[],
  contactId: string | null,
  links: ShortLinks,
  offers: Map<string, OfferOfMessage> = new Map(),
): MessageData {
  const campaignId = campaignOfGroupKey(row.group_key);
  const offer = campaignId ? offers.get(campaignId) : undefined;
  return {
    creditor: creditorOf(batch.tenant),
    customer: {
      name: customer.name,
      document: customer.document,
      kind: customer.kind,
      address: postalAddress(customer),
    },
    invoices,
    portalUrl: links.add(row, { kind: "home" }),
    optOutUrl: links.add(row, { kind: "preferences" }, "optout", contactId),
    // a campaign's offer: its link expires with the offer
    offer: offer
      ? {
          url: links.add(
            row,
            { kind: "offer", campaignId: offer.campaignId },
            "link",
            null,
            offer.linkExpiresAt,
          ),
          summary: offer.summary,
          validUntil: offer.validUntil,
        }
      : undefined,
  };
}
