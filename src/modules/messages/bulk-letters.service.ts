import { lettersPdf } from "../../channels/letter.ts";
import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import type { MessageData } from "../templates/render.ts";
import { getTemplate } from "../templates/template.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type BatchSendResult, sendBatch } from "./batch-send.ts";
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
  await checkLetterTemplate(db, tenant.id, input.template);
  const batch = await planLetters(db, tenant, input, clock);
  if (!batch.batchId) return { count: 0, pdf: await lettersPdf([]) };
  await dispatchDue(db, { clock, tenantId: tenant.id });
  const printed = await printLetters(db, tenant, batch.batchId, clock);
  return { count: printed.count, pdf: printed.pdf };
}

/** Refuses a template that is not a letter's (400 naming the field). */
export async function checkLetterTemplate(db: Executor, tenantId: string, template: string): Promise<void> {
  const found = await getTemplate(db, tenantId, template);
  if (found.channel !== "letter") {
    throw validationError(
      "template",
      `template: ${template} não é um modelo de carta; use um modelo letter.*`,
    );
  }
}

/**
 * Plans the letters of these customers as due now (one per customer with overdue invoices), in
 * the batch `batchId` when given (a background job plans its chunks into one batch); the
 * dispatcher then issues them.
 */
export async function planLetters(
  db: Executor,
  tenant: Tenant,
  input: { customerIds: string[]; template: string; batchId?: string },
  clock: Clock,
): Promise<BatchSendResult> {
  const batch = await sendBatch(
    db,
    tenant,
    {
      template: input.template,
      filter: "overdue",
      customerIds: input.customerIds,
      dryRun: false,
      ...(input.batchId ? { batchId: input.batchId } : {}),
    },
    clock,
  );
  if (!batch.batchId) return batch;
  await db
    .updateTable("dunning_actions")
    .set({ scheduled_for: clock.now() })
    .where("tenant_id", "=", tenant.id)
    .where("policy_id", "=", batch.batchId)
    .where("status", "=", "planned")
    .execute();
  return batch;
}

/** The batch's issued letters as one PDF, in the order they were issued, and whom they went to. */
export async function printLetters(
  db: Executor,
  tenant: Tenant,
  batchId: string,
  clock: Clock,
  progress?: { onCount(count: number): Promise<void>; onLetter(drawn: number): Promise<void> | void },
): Promise<{ count: number; pdf: Buffer; customerIds: string[] }> {
  const prefix = `batch:${batchId}:`;
  const rows = await db
    .selectFrom("messages")
    .select(["subject", "body", "data", "group_key"])
    .where("tenant_id", "=", tenant.id)
    .where("channel", "=", "letter")
    .where("state", "in", ["sent", "delivered"])
    .where("group_key", "like", `${prefix}%`)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const date = todayIn(tenant.timeZone, clock.now());
  const letters = rows.map((row) => ({
    title: row.subject ?? "Notificação de débito",
    text: row.body ?? "",
    data: row.data as MessageData,
    date,
  }));
  await progress?.onCount(letters.length);
  return {
    count: letters.length,
    pdf: await lettersPdf(letters, progress?.onLetter),
    customerIds: rows.map((row) => String(row.group_key).slice(prefix.length)),
  };
}
