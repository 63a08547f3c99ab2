import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/**
 * One timeline of everything that happened with a customer, newest first. Each source is one
 * branch of a UNION ALL selecting the same four columns — `at` (timestamptz), `kind` (text),
 * `id` (text, unique within the kind) and `data` (jsonb with camelCase keys, what the page shows)
 * — so adding a source is adding one entry to TIMELINE_SOURCES (and its `kind` to TIMELINE_KINDS
 * in timeline.ts).
 */
type Source = (tenantId: string, customerId: string) => RawBuilder<unknown>;

export const TIMELINE_SOURCES: Source[] = [
  // messages of the régua, with the content as rendered when sent (subject and body)
  (tenantId, customerId) => sql`
    select coalesce(m.sent_at, m.created_at) as at, 'message' as kind, m.id::text as id,
      jsonb_build_object('channel', m.channel, 'state', m.state, 'template', m.template,
        'recipient', m.recipient, 'subject', m.subject, 'body', m.body, 'reason', m.reason,
        'deliveredAt', m.delivered_at, 'clickedAt', m.clicked_at,
        'openedAt', m.opened_at) as data
    from messages m
    where m.tenant_id = ${tenantId}::uuid and m.customer_id = ${customerId}::uuid`,
  (tenantId, customerId) => sql`
    select t.at, 'standing' as kind, t.id::text as id,
      jsonb_build_object('subjectKind', t.subject_kind, 'from', t.from_standing, 'to', t.to_standing,
        'reason', t.reason, 'effectiveOn', t.effective_on) as data
    from standing_transitions t
    where t.tenant_id = ${tenantId}::uuid and t.customer_id = ${customerId}::uuid`,
  // payments; one on an agreement's installment names it ("Acordo nº 12 — parcela 2/3"), not its code
  (tenantId, customerId) => sql`
    select p.paid_at as at, 'payment' as kind, p.id::text as id,
      jsonb_build_object('amountCents', p.amount_cents, 'method', p.method, 'invoiceId', i.id,
        'invoiceExternalId', i.external_id, 'invoiceDescription', i.description,
        'agreementId', a.id, 'agreementNumber', a.number, 'installmentNumber', ai.number,
        'installmentCount', (a.terms ->> 'installments')::int) as data
    from invoices i
    join payments p on p.tenant_id = i.tenant_id and p.invoice_id = i.id
    left join agreement_installments ai on ai.tenant_id = i.tenant_id and ai.invoice_id = i.id
    left join agreements a on a.tenant_id = ai.tenant_id and a.id = ai.agreement_id
    where i.tenant_id = ${tenantId}::uuid and i.customer_id = ${customerId}::uuid`,
  // calls and notes, with who recorded them
  (tenantId, customerId) => sql`
    select x.created_at as at, x.kind, x.id::text as id,
      jsonb_build_object('body', x.body, 'outcome', x.outcome, 'promisedOn', x.promised_on,
        'promisedCents', x.promised_cents, 'operatorName', coalesce(nullif(o.name, ''), o.email)) as data
    from customer_interactions x
    left join operators o on o.tenant_id = x.tenant_id and o.id = x.operator_id
    where x.tenant_id = ${tenantId}::uuid and x.customer_id = ${customerId}::uuid`,
  // pauses of the régua and disputed invoices
  (tenantId, customerId) => sql`
    select cp.created_at as at, cp.kind, cp.id::text as id,
      jsonb_build_object('until', cp.until, 'reason', cp.reason, 'releasedAt', cp.released_at,
        'invoiceId', cp.invoice_id) as data
    from customer_pauses cp
    where cp.tenant_id = ${tenantId}::uuid and cp.customer_id = ${customerId}::uuid`,
  (tenantId, customerId) => sql`
    select a.created_at as at, 'agreement' as kind, a.id::text as id,
      jsonb_build_object('agreementId', a.id, 'number', a.number, 'status', a.status, 'totalCents', a.total_cents,
        'concessionCents', a.concession_cents, 'endReason', a.end_reason) as data
    from agreements a
    where a.tenant_id = ${tenantId}::uuid and a.customer_id = ${customerId}::uuid`,
  // internal tickets about the customer, as they stand now (src/modules/tickets)
  (tenantId, customerId) => sql`
    select tk.created_at as at, 'ticket' as kind, tk.id::text as id,
      jsonb_build_object('title', tk.title, 'status', tk.status, 'dueOn', tk.due_on,
        'closedAt', tk.closed_at, 'assigneeName', coalesce(nullif(o.name, ''), o.email)) as data
    from tickets tk
    left join operators o on o.tenant_id = tk.tenant_id and o.id = tk.assignee_id
    where tk.tenant_id = ${tenantId}::uuid and tk.customer_id = ${customerId}::uuid`,
  // the debtor's requests for another plan or payment method, with the creditor's decision
  (tenantId, customerId) => sql`
    select r.requested_at as at, 'plan_change' as kind, r.id::text as id,
      jsonb_build_object('changeKind', r.kind, 'currentValue', r.current_value,
        'requestedValue', r.requested_value, 'monthlyPriceCents', r.monthly_price_cents,
        'status', r.status, 'decidedAt', r.decided_at, 'contractId', r.contract_id) as data
    from plan_change_requests r
    where r.tenant_id = ${tenantId}::uuid and r.customer_id = ${customerId}::uuid`,
  // what the régua has scheduled and not sent yet (its steps, batch sends) and what it decided not
  // to send, with the reason; an action that became a message is told by the message instead
  (tenantId, customerId) => sql`
    select case when da.status = 'skipped' then da.updated_at else da.created_at end as at,
      'action' as kind, da.id::text as id,
      jsonb_build_object('status', da.status, 'channel', da.channel, 'template', da.template,
        'stepName', da.step_name, 'skipReason', da.skip_reason, 'scheduledFor', da.scheduled_for,
        'invoiceExternalId', i.external_id) as data
    from dunning_actions da
    join invoices i on i.tenant_id = da.tenant_id and i.id = da.invoice_id
    where da.tenant_id = ${tenantId}::uuid and da.customer_id = ${customerId}::uuid
      and da.status in ('planned', 'skipped')
      and not exists (select 1 from messages m where m.tenant_id = da.tenant_id and m.action_id = da.id)`,
  // entering and leaving a group (protest, bureau listing, agency), each a moment of its own
  (tenantId, customerId) => sql`
    select gm.added_at as at, 'group' as kind, gm.id::text || ':added' as id,
      jsonb_build_object('change', 'added', 'groupId', g.id, 'groupName', g.name, 'purpose', g.purpose) as data
    from customer_group_members gm
    join customer_groups g on g.tenant_id = gm.tenant_id and g.id = gm.group_id
    where gm.tenant_id = ${tenantId}::uuid and gm.customer_id = ${customerId}::uuid
    union all
    select gm.removed_at as at, 'group' as kind, gm.id::text || ':removed' as id,
      jsonb_build_object('change', 'removed', 'groupId', g.id, 'groupName', g.name, 'purpose', g.purpose) as data
    from customer_group_members gm
    join customer_groups g on g.tenant_id = gm.tenant_id and g.id = gm.group_id
    where gm.tenant_id = ${tenantId}::uuid and gm.customer_id = ${customerId}::uuid
      and gm.removed_at is not null`,
  // contacts: every change through the API, the dashboard, a CSV import or the portal's
  // preferences, with who made it (contact_changes); an opt-out recorded before that history (or by
  // a message's link) from the contact itself; a new contact confirmed in the portal with its code
  (tenantId, customerId) => sql`
    select cc.at, 'contact' as kind, cc.id::text as id,
      jsonb_build_object('change', cc.change, 'detail', cc.detail, 'channel', cc.channel, 'value', cc.value,
        'source', cc.source, 'operatorName', coalesce(nullif(o.name, ''), o.email), 'apiKeyName', k.name) as data
    from contact_changes cc
    left join operators o on o.tenant_id = cc.tenant_id and o.id = cc.actor_id and cc.source = 'dashboard'
    left join api_keys k on k.tenant_id = cc.tenant_id and k.id = cc.actor_id and cc.source = 'api'
    where cc.tenant_id = ${tenantId}::uuid and cc.customer_id = ${customerId}::uuid
    union all
    select ct.opted_out_at as at, 'contact' as kind, ct.id::text || ':opted-out' as id,
      jsonb_build_object('change', 'opted_out', 'channel', ct.channel, 'value', ct.value) as data
    from contacts ct
    where ct.tenant_id = ${tenantId}::uuid and ct.customer_id = ${customerId}::uuid
      and ct.opted_out_at is not null
      and not exists (select 1 from contact_changes cc where cc.tenant_id = ct.tenant_id
        and cc.customer_id = ct.customer_id and cc.contact_id = ct.id and cc.detail = 'opted_out' and cc.at = ct.opted_out_at)
    union all
    select pc.used_at as at, 'contact' as kind, pc.id::text || ':confirmed' as id,
      jsonb_build_object('change', 'confirmed', 'channel', pc.channel, 'value', pc.value) as data
    from portal_contact_codes pc
    where pc.tenant_id = ${tenantId}::uuid and pc.customer_id = ${customerId}::uuid
      and pc.used_at is not null`,
];

export interface TimelineRow {
  at: Date;
  /** `at` in microseconds since the epoch: the page cursor keeps the database's full precision. */
  at_micros: number;
  kind: string;
  id: string;
  data: Record<string, unknown>;
}

/** A page of the timeline, newest first, strictly before the (at, kind, id) of `before` when given. */
export async function findTimeline(
  db: Executor,
  tenantId: string,
  customerId: string,
  options: { limit: number; before?: { atMicros: number; kind: string; id: string } },
): Promise<TimelineRow[]> {
  const branches = TIMELINE_SOURCES.map((source) => source(tenantId, customerId));
  const before = options.before
    ? sql`where (e.at, e.kind, e.id) <
        ('epoch'::timestamptz + ${options.before.atMicros}::int8 * interval '1 microsecond',
         ${options.before.kind}::text, ${options.before.id}::text)`
    : sql``;
  const result = await sql<TimelineRow>`
    select e.at, (extract(epoch from e.at) * 1000000)::int8 as at_micros, e.kind, e.id, e.data
    from (${sql.join(branches, sql` union all `)}) as e (at, kind, id, data)
    ${before}
    order by e.at desc, e.kind desc, e.id desc
    limit ${options.limit}`.execute(db);
  return result.rows;
}
