import { lettersPdf } from "../../channels/letter.ts";
import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import type { MessageData } from "../templates/render.ts";
import { getTemplate } from "../templates/template.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { sendBatch } from "./batch-send.ts";
import { dispatchDue } from "./dispatcher.ts";

/**
 * Letters for chosen customers, now, as one PDF to print: a one-off batch of the letter template
 * over each customer's overdue invoices, issued at once by the dispatcher (a letter is printed,
 * not a contact, so contact hours do not hold it back). Each becomes a sent letter on file —
 * the written notice a credit-bureau listing needs (CDC art. 43 §2).
 */
export async function issueLetters(
  db: Executor,
  tenant: Tenant,
  input: { customerIds: string[]; template: string },
  clock: Clock,
): Promise<{ count: number; pdf: Buffer }> {
  const template = await getTemplate(db, tenant.id, input.template);
  if (template.channel !== "letter") {
    throw validationError(
      "template",
      `template: ${input.template} não é um modelo de carta; use um modelo letter.*`,
    );
  }
  const batch = await sendBatch(
    db,
    tenant,
    { template: input.template, filter: "overdue", customerIds: input.customerIds, dryRun: false },
    clock,
  );
  const now = clock.now();
  if (!batch.batchId) return { count: 0, pdf: await lettersPdf([]) };
  await db
    .updateTable("dunning_actions")
    .set({ scheduled_for: now })
    .where("tenant_id", "=", tenant.id)
    .where("policy_id", "=", batch.batchId)
    .where("status", "=", "planned")
    .execute();
  await dispatchDue(db, { clock, tenantId: tenant.id });
  const rows = await db
    .selectFrom("messages")
    .select(["subject", "body", "data"])
    .where("tenant_id", "=", tenant.id)
    .where("channel", "=", "letter")
    .where("state", "in", ["sent", "delivered"])
    .where("group_key", "like", `batch:${batch.batchId}:%`)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const date = todayIn(tenant.timeZone, now);
  const letters = rows.map((row) => ({
    title: row.subject ?? "Notificação de débito",
    text: row.body ?? "",
    data: row.data as MessageData,
    date,
  }));
  return { count: letters.length, pdf: await lettersPdf(letters) };
}
