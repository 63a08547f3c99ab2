import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import { usableContact } from "../contact-eligibility/contact-eligibility.sql.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { contactSlots } from "../policies/contact-slots.ts";
import { getTemplate } from "../templates/template.service.ts";
import type { Tenant } from "../tenants/tenant.ts";

/**
 * "Send now" outside the régua: one template to every customer with invoices in a chosen state
 * (the seeds' "additional e-mails in batch by status"). It writes planned actions of a one-off
 * step, inside each debtor's legal contact hours, and the dispatcher sends them like any other.
 */
export type BatchFilter = "open" | "due-today" | "overdue";

export const BATCH_FILTERS: Record<BatchFilter, string> = {
  open: "faturas em aberto",
  "due-today": "faturas que vencem hoje",
  overdue: "faturas vencidas",
};

/** A selection of customers from the dashboard's list (or the API), as every bulk action takes it. */
export const MAX_SELECTION = 5000;

export const ZCustomerIds = z
  .array(z.uuid({ error: "id de cliente inválido" }))
  .min(1, { error: "escolha ao menos um cliente" })
  .max(MAX_SELECTION, { error: `no máximo ${MAX_SELECTION} clientes por envio` });

export const ZBatchSend = z.strictObject({
  template: z.string().trim().min(1, { error: "informe o modelo (ex.: sms.d+6)" }).max(64),
  filter: z
    .enum(Object.keys(BATCH_FILTERS) as [BatchFilter, ...BatchFilter[]], {
      error: `filter: use ${Object.keys(BATCH_FILTERS).join(", ")}`,
    })
    .default("open"),
  tag: z.string().trim().min(1).max(100).nullish(),
  customerIds: ZCustomerIds.nullish(),
  dryRun: z.boolean({ error: "dryRun: true para só contar, false para enviar" }),
});

export interface BatchSendInput {
  template: string;
  filter: BatchFilter;
  tag?: string | null;
  /** only these customers (a selection from the dashboard's customer list) */
  customerIds?: string[] | null;
  dryRun: boolean;
  /**
   * The batch's id (its actions' step): a background job passes its own, so that its chunks form
   * one batch; a new one otherwise.
   */
  batchId?: string;
}

export interface BatchSendResult {
  batchId: string | null;
  template: string;
  filter: BatchFilter;
  tag: string | null;
  customers: number;
  invoices: number;
  /** customers with a usable contact on the template's channel (the others would be skipped) */
  reachable: number;
  totalCents: number;
  actions: number;
}

interface Target {
  customer_id: string;
  invoice_id: string;
  amount_cents: number;
  state: string | null;
  time_zone: string;
  reachable: boolean;
}

export async function sendBatch(
  db: Executor,
  tenant: Tenant,
  input: BatchSendInput,
  clock: Clock,
): Promise<BatchSendResult> {
  if (!(input.filter in BATCH_FILTERS)) {
    throw validationError(
      "filter",
      `filtro "${input.filter}" desconhecido; use ${Object.keys(BATCH_FILTERS).join(", ")}`,
    );
  }
  const template = await getTemplate(db, tenant.id, input.template);
  const channel = template.channel;
  const now = clock.now();
  const today = todayIn(tenant.timeZone, now);
  // open, due today and overdue as the open-debt rule says: an original an agreement in force
  // replaces is not written about (its installments are), overdue is past the payable day
  const condition =
    input.filter === "due-today"
      ? sql`o.due_date = ${today}::date`
      : input.filter === "overdue"
        ? sql`o.overdue`
        : sql`true`;
  const contactCheck =
    channel === "letter" || channel === "task"
      ? sql`true`
      : sql`exists (select 1 from contacts k where k.tenant_id = c.tenant_id and k.customer_id = c.id
          and k.channel = ${channel} and ${usableContact("k")})`;
  const targets = await sql<Target>`
    select c.id as customer_id, o.id as invoice_id, o.balance_cents::bigint as amount_cents,
           c.address_state as state, c.time_zone, ${contactCheck} as reachable
    from ${openInvoicesRelation(tenant.id, overdueCutoffOf(tenant, today), {
      customerIds: input.customerIds ?? undefined,
    })} o
    join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
    where c.anonymized_at is null and ${condition}
      ${input.tag ? sql`and ${input.tag} = any(c.tags)` : sql``}
    order by c.id, o.due_date`.execute(db);
  const rows = targets.rows;
  const customers = new Map<string, boolean>();
  for (const row of rows) customers.set(row.customer_id, row.reachable);
  const result: BatchSendResult = {
    batchId: null,
    template: input.template,
    filter: input.filter,
    tag: input.tag ?? null,
    customers: customers.size,
    invoices: rows.length,
    reachable: [...customers.values()].filter(Boolean).length,
    totalCents: rows.reduce((sum, row) => sum + Number(row.amount_cents), 0),
    actions: 0,
  };
  if (input.dryRun || rows.length === 0) return result;

  const slotFor = await contactSlots(db, tenant, now);

  const batchId = input.batchId ?? randomUUID();
  const values = [];
  for (const row of rows) {
    const slot = slotFor(row.state, row.time_zone);
    if (!slot) continue;
    values.push({
      tenant_id: tenant.id,
      invoice_id: row.invoice_id,
      customer_id: row.customer_id,
      policy_id: batchId,
      step_id: batchId,
      step_name: "envio avulso",
      offset_days: 0,
      channel,
      template: input.template,
      group_key: `batch:${batchId}:${row.customer_id}`,
      status: "planned" as const,
      skip_reason: null,
      planned_on: today,
      send_on: slot.sendOn,
      scheduled_for: slot.scheduledFor,
      send_until: slot.sendUntil,
      amount_cents: Number(row.amount_cents),
    });
  }
  for (let start = 0; start < values.length; start += 2000) {
    await db
      .insertInto("dunning_actions")
      .values(values.slice(start, start + 2000))
      .execute();
  }
  return { ...result, batchId, actions: values.length };
}
