import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { ActorKind } from "../audit/audit.table.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import type { CustomerGroupRow, NewCustomerGroupRow } from "./group.table.ts";

export function insertGroup(db: Executor, row: NewCustomerGroupRow): Promise<CustomerGroupRow> {
  return db.insertInto("customer_groups").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findGroupById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<CustomerGroupRow | undefined> {
  return db
    .selectFrom("customer_groups")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function updateGroup(
  db: Executor,
  tenantId: string,
  id: string,
  change: { name?: string; description?: string },
): Promise<CustomerGroupRow | undefined> {
  return db
    .updateTable("customer_groups")
    .set(change)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** How many customers the group holds now, and how many it ever held (its record). */
export async function countMemberships(
  db: Executor,
  tenantId: string,
  groupId: string,
): Promise<{ current: number; ever: number }> {
  const row = await db
    .selectFrom("customer_group_members")
    .select((eb) => [
      eb.fn.countAll<string>().as("ever"),
      eb.fn.count<string>("customer_id").filterWhere("removed_at", "is", null).as("current"),
    ])
    .where("tenant_id", "=", tenantId)
    .where("group_id", "=", groupId)
    .executeTakeFirstOrThrow();
  return { current: Number(row.current), ever: Number(row.ever) };
}

/** Deletes the group and its (past) memberships. */
export async function deleteGroup(db: Executor, tenantId: string, id: string): Promise<void> {
  await db
    .deleteFrom("customer_group_members")
    .where("tenant_id", "=", tenantId)
    .where("group_id", "=", id)
    .execute();
  await db.deleteFrom("customer_groups").where("tenant_id", "=", tenantId).where("id", "=", id).execute();
}

export function findGroupByName(db: Executor, tenantId: string, name: string) {
  return db
    .selectFrom("customer_groups")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** Every group with its member count and, for bureau groups, the removals still due. */
export async function findGroupsWithCounts(
  db: Executor,
  tenantId: string,
  groupId?: string,
): Promise<(CustomerGroupRow & { members: number; removals_due: number })[]> {
  const result = await sql<CustomerGroupRow & { members: number; removals_due: number }>`
    select g.*,
      (select count(*) from customer_group_members m
        where m.tenant_id = g.tenant_id and m.group_id = g.id and m.removed_at is null)::int as members,
      (select count(*) from customer_group_members m
        where m.tenant_id = g.tenant_id and m.group_id = g.id and m.removed_at is null
          and m.removal_due_on is not null)::int as removals_due
    from customer_groups g
    where g.tenant_id = ${tenantId} ${groupId ? sql`and g.id = ${groupId}` : sql``}
    order by g.name`.execute(db);
  return result.rows;
}

export interface CandidateRow {
  customer_id: string;
  name: string;
  member: boolean;
  oldest_due: string | null;
  notice_message_id: string | null;
  notice_sent_on: string | null;
}

/**
 * For each customer asked for: whether already a member, the due date of the oldest open overdue
 * invoice, and the first letter sent (in the tenant's time zone) on or after that date — the
 * written notice of this debt.
 */
export async function findCandidates(
  db: Executor,
  tenantId: string,
  groupId: string,
  customerIds: string[],
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
  timeZone: string,
): Promise<CandidateRow[]> {
  const result = await sql<CandidateRow>`
    select c.id as customer_id, c.name,
      exists (select 1 from customer_group_members m where m.tenant_id = c.tenant_id and m.group_id = ${groupId}
        and m.customer_id = c.id and m.removed_at is null) as member,
      debt.oldest_due::text as oldest_due,
      notice.id as notice_message_id, notice.sent_on::text as notice_sent_on
    from customers c
    left join lateral (
      select min(o.due_date) as oldest_due
      from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { customerColumn: sql`c.id`, onlyOverdue: true })} o
    ) debt on true
    left join lateral (
      select m.id, (m.sent_at at time zone ${timeZone})::date as sent_on from messages m
      where m.tenant_id = c.tenant_id and m.customer_id = c.id and m.channel = 'letter'
        and m.state in ('sent', 'delivered') and m.sent_at is not null
        and (m.sent_at at time zone ${timeZone})::date >= debt.oldest_due
      order by m.sent_at, m.id limit 1
    ) notice on true
    where c.tenant_id = ${tenantId} and c.id = any(${customerIds}::uuid[])`.execute(db);
  return result.rows;
}

export async function insertMembers(
  db: Executor,
  rows: {
    tenant_id: string;
    group_id: string;
    customer_id: string;
    added_at: Date;
    added_by_kind: ActorKind;
    added_by_id: string | null;
    notice_message_id: string | null;
  }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto("customer_group_members")
      .values(rows.slice(start, start + 1000))
      .execute();
  }
}

/** Ends the memberships of these customers; returns the customers that were members. */
export async function removeMembers(
  db: Executor,
  tenantId: string,
  groupId: string,
  customerIds: string[],
  at: Date,
): Promise<string[]> {
  const rows = await db
    .updateTable("customer_group_members")
    .set({ removed_at: at })
    .where("tenant_id", "=", tenantId)
    .where("group_id", "=", groupId)
    .where("customer_id", "in", customerIds)
    .where("removed_at", "is", null)
    .returning("customer_id")
    .execute();
  return rows.map((row) => row.customer_id);
}

export interface MemberRow {
  customer_id: string;
  external_id: string;
  name: string;
  document: string;
  overdue_cents: number;
  oldest_due: string | null;
  added_at: Date;
  notice_sent_on: string | null;
  settled_on: string | null;
  removal_due_on: string | null;
}

/** A page of a group's current members by external id, with what they owe overdue today. */
export async function findMemberPage(
  db: Executor,
  tenantId: string,
  groupId: string,
  options: { limit: number; afterExternalId?: string; overdueDueOnOrBefore: string; timeZone: string },
): Promise<MemberRow[]> {
  const result = await sql<MemberRow>`
    select c.id as customer_id, c.external_id, c.name, c.document,
      coalesce(debt.overdue_cents, 0)::bigint as overdue_cents, debt.oldest_due::text as oldest_due,
      m.added_at, (n.sent_at at time zone ${options.timeZone})::date::text as notice_sent_on,
      m.settled_on::text as settled_on, m.removal_due_on::text as removal_due_on
    from customer_group_members m
    join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id
    left join messages n on n.tenant_id = m.tenant_id and n.id = m.notice_message_id
    left join lateral (
      select sum(o.balance_cents) as overdue_cents, min(o.due_date) as oldest_due
      from ${openInvoicesRelation(tenantId, options.overdueDueOnOrBefore, { customerColumn: sql`c.id`, onlyOverdue: true })} o
    ) debt on true
    where m.tenant_id = ${tenantId} and m.group_id = ${groupId} and m.removed_at is null
      ${options.afterExternalId !== undefined ? sql`and c.external_id > ${options.afterExternalId}` : sql``}
    order by c.external_id
    limit ${options.limit}`.execute(db);
  return result.rows;
}

/** A current member of a group, for exports. */
export interface CurrentMemberRow {
  customer_id: string;
  external_id: string;
  name: string;
  document: string;
}

/** The group's current members, by external id (what they owe comes from the open-debt read model). */
export async function findCurrentMembers(
  db: Executor,
  tenantId: string,
  groupId: string,
): Promise<CurrentMemberRow[]> {
  const result = await sql<CurrentMemberRow>`
    select c.id as customer_id, c.external_id, c.name, c.document
    from customer_group_members m
    join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id
    where m.tenant_id = ${tenantId} and m.group_id = ${groupId} and m.removed_at is null
    order by c.external_id`.execute(db);
  return result.rows;
}

export interface RemovalDueRow {
  group_id: string;
  group_name: string;
  customer_id: string;
  external_id: string;
  name: string;
  document: string;
  settled_on: string;
  removal_due_on: string;
}

/** Bureau members who paid and whose listing is still to be removed, earliest deadline first. */
export async function findRemovalsDue(db: Executor, tenantId: string): Promise<RemovalDueRow[]> {
  const result = await sql<RemovalDueRow>`
    select g.id as group_id, g.name as group_name, c.id as customer_id, c.external_id, c.name, c.document,
      m.settled_on::text as settled_on, m.removal_due_on::text as removal_due_on
    from customer_group_members m
    join customer_groups g on g.tenant_id = m.tenant_id and g.id = m.group_id
    join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id
    where m.tenant_id = ${tenantId} and m.removed_at is null and m.removal_due_on is not null
    order by m.removal_due_on, c.external_id`.execute(db);
  return result.rows;
}

/**
 * Marks bureau memberships of these customers as settled when they owe nothing overdue any more:
 * from `settledOn` the creditor has until `removalDueOn` to ask the bureau to drop the listing.
 */
export async function markBureauSettled(
  db: Executor,
  tenantId: string,
  customerIds: string[],
  today: string,
  settledOn: string,
  removalDueOn: string,
): Promise<number> {
  const result = await sql`
    update customer_group_members m set settled_on = ${settledOn}::date, removal_due_on = ${removalDueOn}::date
    from customer_groups g
    where m.tenant_id = ${tenantId} and m.customer_id = any(${customerIds}::uuid[])
      and m.removed_at is null and m.settled_on is null
      and g.tenant_id = m.tenant_id and g.id = m.group_id and g.purpose = 'bureau'
      and not exists (select 1 from invoices i where i.tenant_id = m.tenant_id and i.customer_id = m.customer_id
        and i.status = 'open' and i.due_date < ${today}::date)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function findBureauNoticeWaitDays(db: Executor, tenantId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("group_settings")
    .select("bureau_notice_wait_days")
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  return row?.bureau_notice_wait_days;
}

export async function upsertGroupSettings(db: Executor, tenantId: string, bureauNoticeWaitDays: number) {
  await db
    .insertInto("group_settings")
    .values({ tenant_id: tenantId, bureau_notice_wait_days: bureauNoticeWaitDays })
    .onConflict((conflict) =>
      conflict
        .column("tenant_id")
        .doUpdateSet({ bureau_notice_wait_days: bureauNoticeWaitDays, updated_at: sql`now()` }),
    )
    .execute();
}
