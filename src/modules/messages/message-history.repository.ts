import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { MessageRow } from "./message.table.ts";

export interface MessagePageQuery {
  subject: { customerId: string } | { invoiceId: string };
  /** the last row of the previous page (newest first) */
  before?: { createdAt: string; id: string };
  limit: number;
}

/**
 * A page of the messages about a customer, or about an invoice (the messages of the action groups
 * that include it), newest first.
 */
export async function findMessagePage(
  db: Executor,
  tenantId: string,
  query: MessagePageQuery,
): Promise<(MessageRow & { cursor_at: string })[]> {
  const about =
    "customerId" in query.subject
      ? sql`m.customer_id = ${query.subject.customerId}`
      : sql`m.group_key in (select a.group_key from dunning_actions a
          where a.tenant_id = ${tenantId} and a.invoice_id = ${query.subject.invoiceId})`;
  const before = query.before
    ? sql`and (m.created_at, m.id) < (${query.before.createdAt}::timestamptz, ${query.before.id}::uuid)`
    : sql``;
  // the cursor keeps the instant as PostgreSQL's text: microseconds that a JS Date would round away
  const result = await sql<MessageRow & { cursor_at: string }>`
    select m.*, m.created_at::text as cursor_at from messages m
    where m.tenant_id = ${tenantId} and ${about} ${before}
    order by m.created_at desc, m.id desc
    limit ${query.limit}`.execute(db);
  return result.rows;
}
