import { setImmediate as nextTurn } from "node:timers/promises";
import type { Executor } from "../../db/database.ts";
import { type OfferOfMessage, offersOfMessages } from "../campaigns/campaign-message.ts";
import { localInstant } from "../policies/contact-slots.ts";
import { portalLinkSigner } from "../portal/portal.service.ts";
import { PORTAL_POLICY } from "../portal/portal.ts";
import { emailHtml } from "../templates/email-html.ts";
import { renderTemplate } from "../templates/render.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { routePrefixOf } from "../tenants/token-route.ts";
import { letterAttachment } from "./letters.service.ts";
import { insertShortLinks } from "./message.repository.ts";
import type { MessageRow } from "./message.table.ts";
import { MessageBatch } from "./message-batch.ts";
import { invoicesOfMessage, messageData, ShortLinks } from "./message-data.ts";
import { contactOrSkip, debtorOrSkip, sendUntilOf, skippedBeforeSending } from "./message-skips.ts";
import { fail, type Prepared, undecided } from "./prepared-message.ts";

/** Messages rendered between two turns of the event loop (see prepareMessages). */
const PREPARE_SLICE = 50;

interface AnalystTask {
  tenant_id: string;
  message_id: string;
  customer_id: string;
  title: string;
  description: string;
  due_on: string;
}

/**
 * Prepares one tenant's claimed messages for sending: loads what they speak of, decides the skips
 * (message-skips.ts: anonymised, window closed, paid, no eligible contact), renders each from its
 * data (message-data.ts), files letters and analysts' tasks at once, and leaves for the dispatcher
 * only what a provider must send. Writes the batch's short links and tasks.
 */
export async function prepareMessages(
  db: Executor,
  tenant: Tenant,
  rows: MessageRow[],
  now: Date,
): Promise<Prepared[]> {
  const batch = await MessageBatch.load(db, tenant, rows);
  // the short links lead to signed, expiring portal links (src/modules/portal/portal-link.ts)
  const links = new ShortLinks(
    tenant.id,
    await routePrefixOf(db, tenant.id),
    await portalLinkSigner(db, tenant.id),
    new Date(now.getTime() + PORTAL_POLICY.messageLinkDays * 86_400_000),
  );
  // a campaign's offer links to its page on the portal until the offer's last day
  const offers = await offersOfMessages(
    db,
    tenant.id,
    rows.map((row) => row.group_key),
    (date) => localInstant(date, "00:00", tenant.timeZone),
  );
  const tasks: AnalystTask[] = [];
  const prepared: Prepared[] = [];
  for (const [index, row] of rows.entries()) {
    // rendering a batch takes a while; the previous batch is on the wire meanwhile, and its
    // connections wait for this thread to read their replies
    if (index > 0 && index % PREPARE_SLICE === 0) await nextTurn();
    const entry = undecided(tenant.id, row);
    prepared.push(entry);
    await prepareOne(entry, batch, links, offers, tasks, now);
  }
  await insertShortLinks(db, links.links);
  if (tasks.length > 0) {
    await db
      .insertInto("analyst_tasks")
      .values(tasks)
      .onConflict((conflict) => conflict.columns(["tenant_id", "message_id"]).doNothing())
      .execute();
  }
  return prepared;
}

async function prepareOne(
  entry: Prepared,
  batch: MessageBatch,
  links: ShortLinks,
  offers: Map<string, OfferOfMessage>,
  tasks: AnalystTask[],
  now: Date,
): Promise<void> {
  const { row, outcome } = entry;
  const actions = batch.actionsOf(row);
  const customer = debtorOrSkip(entry, batch);
  if (!customer) return;
  entry.sendUntil = sendUntilOf(actions);
  const today = batch.todayIn(customer.time_zone, now);
  const invoices = invoicesOfMessage(batch, row, actions, today, links);
  if (skippedBeforeSending(entry, now, invoices.length)) return;
  const contact = contactOrSkip(entry, batch, actions);
  if (contact === null) return;

  const template = await batch.template(row.template);
  if (!template) return fail(entry, `modelo ${row.template} não existe`);
  const data = messageData(batch, row, customer, invoices, outcome.contactId, links, offers);
  let rendered: ReturnType<typeof renderTemplate>;
  try {
    rendered = renderTemplate(template, data);
  } catch (error) {
    return fail(entry, `modelo ${row.template}: ${(error as Error).message}`);
  }
  outcome.subject = rendered.subject;
  outcome.body = rendered.text;
  // the rendered text is the record of what was said; the data behind it is kept only where
  // something is drawn from it again (the day's letters PDF), not for every e-mail and SMS
  outcome.data = row.channel === "letter" ? data : null;

  if (row.channel === "letter") {
    // printed from the day's batch PDF (regua letters); the message is the letter on file
    outcome.state = "sent";
    outcome.provider = "letter";
    return;
  }
  if (row.channel === "task") {
    tasks.push({
      tenant_id: batch.tenant.id,
      message_id: row.id,
      customer_id: row.customer_id,
      title: rendered.subject ?? row.template,
      description: rendered.text,
      due_on: today,
    });
    outcome.state = "sent";
    outcome.provider = "task";
    return;
  }
  if (contact === "none needed") return fail(entry, `canal ${row.channel} não envia mensagens`);
  entry.outgoing = {
    tenantId: batch.tenant.id,
    messageId: row.id,
    idempotencyKey: row.action_id,
    channel: row.channel,
    recipient: contact.value,
    subject: rendered.subject,
    text: rendered.text,
    html:
      row.channel === "email"
        ? emailHtml(rendered.subject ?? "", rendered.text, links.addOpen(row, outcome.contactId))
        : null,
    unsubscribeUrl: row.channel === "email" ? data.optOutUrl : null,
    attachments:
      row.channel === "email" && actions.some((action) => action.attach_letter)
        ? [await letterAttachment({ title: rendered.subject ?? "", text: rendered.text, data, date: today })]
        : [],
    whatsapp:
      row.channel === "whatsapp" && template.whatsappTemplate && template.whatsappLanguage
        ? {
            name: template.whatsappTemplate,
            language: template.whatsappLanguage,
            parameters: rendered.parameters,
          }
        : null,
  };
}
