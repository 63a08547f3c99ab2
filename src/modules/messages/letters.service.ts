import { sql } from "kysely";
import { type Letter, lettersPdf } from "../../channels/letter.ts";
import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { MessageData } from "../templates/render.ts";
import type { Tenant } from "../tenants/tenant.ts";

/**
 * The letters the dispatcher issued on a day (in the tenant's time zone), oldest first, as one
 * PDF for printing: each letter is re-drawn from the data it was rendered from.
 */
export async function lettersOfDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
): Promise<{ count: number; pdf: Buffer }> {
  const rows = await sql<{ subject: string | null; body: string | null; data: MessageData }>`
    select subject, body, data from messages
    where tenant_id = ${tenant.id} and channel = 'letter' and state in ('sent', 'delivered')
      and (sent_at at time zone ${tenant.timeZone})::date = ${date}::date
    order by sent_at, id`.execute(db);
  const letters: Letter[] = rows.rows.map((row) => ({
    title: row.subject ?? "Notificação de débito",
    text: row.body ?? "",
    data: row.data,
    date,
  }));
  return { count: letters.length, pdf: await lettersPdf(letters) };
}

/** One message's letter as a PDF (to attach to an e-mail or download). */
export async function letterOfMessage(
  db: Executor,
  tenantId: string,
  messageId: string,
  date: IsoDate,
): Promise<Buffer | null> {
  const row = await db
    .selectFrom("messages")
    .select(["subject", "body", "data"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", messageId)
    .where("channel", "=", "letter")
    .executeTakeFirst();
  if (!row?.data) return null;
  return lettersPdf([
    {
      title: row.subject ?? "Notificação de débito",
      text: row.body ?? "",
      data: row.data as MessageData,
      date,
    },
  ]);
}

/** The debtor's letter (debts, typeable line, ITF-25, Pix QR) as an e-mail attachment. */
export async function letterAttachment(
  letter: Letter,
): Promise<{ filename: string; content: Buffer; contentType: string }> {
  return {
    filename: `cobranca-${letter.date}.pdf`,
    content: await lettersPdf([letter]),
    contentType: "application/pdf",
  };
}
