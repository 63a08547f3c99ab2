import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/** The event a régua step with the `webhook` channel becomes (docs/webhooks.md). */
export const COLLECTION_STEP_EVENT = "collection.step_due";

/**
 * The régua's `webhook` channel: due planned actions of that channel become `collection.step_due`
 * events in the outbox — and from there signed, retried, logged deliveries like every other event —
 * in one statement. Actions are claimed with SKIP LOCKED and closed in the same statement, so two
 * dispatchers never publish one twice. An action whose invoice was settled, or whose customer was
 * anonymised, since it was planned is skipped with the reason instead.
 */
export async function publishDueCollectionSteps(
  db: Executor,
  now: Date,
  limit: number,
  tenantId?: string,
): Promise<number> {
  const result = await sql<{ count: number }>`
    with due as (
      select a.tenant_id, a.id, a.invoice_id, a.customer_id, a.policy_id, a.step_id, a.step_name,
        a.offset_days, a.template, a.planned_on, a.send_on,
        i.status = 'open' and c.anonymized_at is null as live,
        case when c.anonymized_at is not null then 'cliente anonimizado (LGPD)'
          else 'fatura paga ou encerrada antes do envio' end as skip_reason
      from dunning_actions a
      join invoices i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
      join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
      where a.status = 'planned' and a.channel = 'webhook' and a.scheduled_for <= ${now}
        ${tenantId ? sql`and a.tenant_id = ${tenantId}` : sql``}
      order by a.scheduled_for
      limit ${limit}
      for update of a skip locked
    ),
    closed as (
      update dunning_actions d
      set status = case when due.live then 'sent' else 'skipped' end,
        skip_reason = case when due.live then null else due.skip_reason end,
        updated_at = ${now}
      from due
      where d.tenant_id = due.tenant_id and d.id = due.id
      returning d.id
    ),
    events as (
      insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
      select due.tenant_id, ${COLLECTION_STEP_EVENT}, due.customer_id,
        json_build_object(
          'actionId', due.id,
          'step', json_build_object('policyId', due.policy_id, 'stepId', due.step_id, 'name', due.step_name,
            'offsetDays', due.offset_days, 'template', due.template, 'plannedOn', due.planned_on,
            'sendOn', due.send_on),
          'invoice', json_build_object('id', i.id, 'externalId', i.external_id, 'description', i.description,
            'amountCents', i.amount_cents, 'paidCents', i.paid_cents, 'dueDate', i.due_date, 'status', i.status,
            'typeableLine', i.typeable_line, 'pixPayload', i.pix_payload),
          'customer', json_build_object('id', c.id, 'externalId', c.external_id, 'name', c.name)),
        ${now}::timestamptz
      from due
      join invoices i on i.tenant_id = due.tenant_id and i.id = due.invoice_id
      join customers c on c.tenant_id = due.tenant_id and c.id = due.customer_id
      where due.live
      order by due.tenant_id, due.customer_id, due.send_on, due.id
      returning 1
    )
    select (select count(*) from events)::integer as count, (select count(*) from closed)::integer as closed`.execute(
    db,
  );
  return Number(result.rows[0]?.count ?? 0);
}
