import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { NewTicketRow, TicketCommentRow, TicketRow, TicketStatus } from "./ticket.table.ts";
import type { TicketFilter } from "./ticket.ts";

/** A ticket row with the names a list shows beside the ids. */
export type TicketListRow = TicketRow & { customer_name: string | null; assignee_name: string | null };

export function insertTicket(db: Executor, row: NewTicketRow): Promise<TicketRow> {
  return db.insertInto("tickets").values(row).returningAll().executeTakeFirstOrThrow();
}

function ticketsWithNames(db: Executor, tenantId: string) {
  return db
    .selectFrom("tickets as t")
    .leftJoin("customers as c", (join) =>
      join.onRef("c.tenant_id", "=", "t.tenant_id").onRef("c.id", "=", "t.customer_id"),
    )
    .leftJoin("operators as o", (join) =>
      join.onRef("o.tenant_id", "=", "t.tenant_id").onRef("o.id", "=", "t.assignee_id"),
    )
    .selectAll("t")
    .select([
      "c.name as customer_name",
      sql<string | null>`coalesce(nullif(o.name, ''), o.email)`.as("assignee_name"),
    ])
    .where("t.tenant_id", "=", tenantId);
}

export function findTicketById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<TicketListRow | undefined> {
  return ticketsWithNames(db, tenantId).where("t.id", "=", id).executeTakeFirst();
}

export function lockTicket(db: Executor, tenantId: string, id: string): Promise<TicketRow | undefined> {
  return db
    .selectFrom("tickets")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** Newest first; the cursor is the last row's (created_at, id). */
export function findTicketPage(
  db: Executor,
  tenantId: string,
  filter: TicketFilter,
  options: { limit: number; after?: { createdAt: string; id: string } },
): Promise<TicketListRow[]> {
  let query = ticketsWithNames(db, tenantId);
  if (filter.status === "active") query = query.where("t.status", "<>", "done");
  else if (filter.status) query = query.where("t.status", "=", filter.status);
  if (filter.assigneeId === null) query = query.where("t.assignee_id", "is", null);
  else if (filter.assigneeId) query = query.where("t.assignee_id", "=", filter.assigneeId);
  if (filter.customerId) query = query.where("t.customer_id", "=", filter.customerId);
  if (options.after) {
    query = query.where(
      sql<boolean>`(date_trunc('milliseconds', t.created_at), t.id) < (${options.after.createdAt}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  // JavaScript dates hold milliseconds: the cursor compares at that precision so no row is skipped
  return query
    .orderBy(sql`date_trunc('milliseconds', t.created_at)`, "desc")
    .orderBy("t.id", "desc")
    .limit(options.limit)
    .execute();
}

export function updateTicket(
  db: Executor,
  tenantId: string,
  id: string,
  changes: {
    title?: string;
    description?: string;
    status?: TicketStatus;
    assignee_id?: string | null;
    due_on?: string | null;
    closed_at?: Date | null;
  },
): Promise<TicketRow> {
  return db
    .updateTable("tickets")
    .set({ ...changes, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertTicketComment(
  db: Executor,
  row: {
    tenant_id: string;
    ticket_id: string;
    author_kind: TicketCommentRow["author_kind"];
    author_id: string | null;
    body: string;
  },
): Promise<TicketCommentRow> {
  return db.insertInto("ticket_comments").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Comments oldest first, with the operator's name when an operator wrote them. */
export function findTicketComments(
  db: Executor,
  tenantId: string,
  ticketId: string,
): Promise<(TicketCommentRow & { author_name: string | null })[]> {
  return db
    .selectFrom("ticket_comments as m")
    .leftJoin("operators as o", (join) =>
      join
        .onRef("o.tenant_id", "=", "m.tenant_id")
        .on(sql<boolean>`m.author_kind = 'operator' and o.id::text = m.author_id`),
    )
    .selectAll("m")
    .select(sql<string | null>`coalesce(nullif(o.name, ''), o.email)`.as("author_name"))
    .where("m.tenant_id", "=", tenantId)
    .where("m.ticket_id", "=", ticketId)
    .orderBy("m.created_at")
    .orderBy("m.id")
    .execute();
}

/** Operators who may work tickets (admins and analysts, not disabled), by name. */
export function findAssignableOperators(
  db: Executor,
  tenantId: string,
): Promise<{ id: string; name: string; role: string }[]> {
  return db
    .selectFrom("operators")
    .select(["id", sql<string>`coalesce(nullif(name, ''), email)`.as("name"), "role"])
    .where("tenant_id", "=", tenantId)
    .where("disabled_at", "is", null)
    .where("role", "in", ["admin", "analyst"])
    .orderBy(sql`coalesce(nullif(name, ''), email)`)
    .execute();
}

export function isAssignableOperator(db: Executor, tenantId: string, operatorId: string): Promise<boolean> {
  return db
    .selectFrom("operators")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", operatorId)
    .where("disabled_at", "is", null)
    .where("role", "in", ["admin", "analyst"])
    .executeTakeFirst()
    .then((row) => row !== undefined);
}
