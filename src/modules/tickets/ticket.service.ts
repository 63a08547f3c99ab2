import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { dashboardWork } from "../../i18n/pt-BR/dashboard-work.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  findTicketById,
  findTicketComments,
  findTicketPage,
  insertTicket,
  insertTicketComment,
  isAssignableOperator,
  lockTicket,
  type TicketListRow,
  updateTicket,
} from "./ticket.repository.ts";
import type { TicketCommentRow } from "./ticket.table.ts";
import {
  type Actor,
  type TCreateTicket,
  type Ticket,
  type TicketComment,
  type TicketDetail,
  type TicketFilter,
  type TUpdateTicket,
  ZCreateComment,
  ZCreateTicket,
  ZUpdateTicket,
} from "./ticket.ts";

export function ticketFromRow(row: TicketListRow): Ticket {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    title: row.title,
    description: row.description,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    dueOn: row.due_on,
    status: row.status,
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

function commentFromRow(row: TicketCommentRow & { author_name: string | null }): TicketComment {
  return {
    id: row.id,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    body: row.body,
    createdAt: row.created_at,
  };
}

async function checkAssignee(db: Executor, tenantId: string, assigneeId: string | null | undefined) {
  if (!assigneeId) return;
  if (!(await isAssignableOperator(db, tenantId, assigneeId))) {
    throw validationError(
      "assigneeId",
      `assigneeId: operador ${assigneeId} não encontrado, desativado ou só de leitura; atribua a um administrador ou analista`,
    );
  }
}

async function checkCustomers(db: Executor, tenantId: string, customerIds: string[]) {
  if (customerIds.length === 0) return;
  const found = await db
    .selectFrom("customers")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "in", customerIds)
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = customerIds.find((id) => !known.has(id));
  if (missing) throw new AppError("not_found", `cliente ${missing} não encontrado`, "customerId");
}

/**
 * A ticket falls due today or later (`today` in the creditor's zone): one due in the past would be
 * born late, which is a typing slip, not a plan.
 */
function checkDueOn(dueOn: string | null | undefined, today: string): void {
  if (dueOn != null && dueOn < today)
    throw validationError("dueOn", dashboardWork.tickets.dueInPast(formatBrazilianDate(today)));
}

/** Opens a ticket (status open). */
export async function createTicket(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateTicket,
  actor: Actor,
  today: string,
): Promise<TicketDetail> {
  const data = parseInput(ZCreateTicket, input);
  const [ticket] = await createTickets(db, tenantId, data, [data.customerId ?? null], actor, today);
  return { ...ticket!, comments: [] };
}

/** One ticket per customer, with the same title, assignee and due date (bulk action of the customer list). */
export async function createTickets(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateTicket,
  customerIds: (string | null)[],
  actor: Actor,
  today: string,
): Promise<Ticket[]> {
  const data = parseInput(ZCreateTicket, input);
  checkDueOn(data.dueOn, today);
  return db.transaction().execute(async (trx) => {
    await checkAssignee(trx, tenantId, data.assigneeId);
    await checkCustomers(
      trx,
      tenantId,
      customerIds.filter((id): id is string => id !== null),
    );
    const tickets: Ticket[] = [];
    for (const customerId of customerIds) {
      const row = await insertTicket(trx, {
        tenant_id: tenantId,
        customer_id: customerId,
        title: data.title,
        description: data.description,
        assignee_id: data.assigneeId ?? null,
        due_on: data.dueOn ?? null,
        created_by_kind: actor.kind,
        created_by_id: actor.id,
        closed_at: null,
      });
      tickets.push(ticketFromRow((await findTicketById(trx, tenantId, row.id))!));
    }
    return tickets;
  });
}

export async function getTicket(db: Kysely<Database>, tenantId: string, id: string): Promise<TicketDetail> {
  const row = await findTicketById(db, tenantId, id);
  if (!row) throw notFound("Ticket", id);
  const comments = await findTicketComments(db, tenantId, id);
  return { ...ticketFromRow(row), comments: comments.map(commentFromRow) };
}

export async function listTickets(
  db: Kysely<Database>,
  tenantId: string,
  filter: TicketFilter,
  options: { limit: number; after?: { createdAt: string; id: string } },
): Promise<TicketListRow[]> {
  return findTicketPage(db, tenantId, filter, options);
}

/** Changes status, assignee, due date, title or description; closing stamps closed_at, reopening clears it. */
export async function changeTicket(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: TUpdateTicket,
  clock: Clock,
  today: string,
): Promise<TicketDetail> {
  const data = parseInput(ZUpdateTicket, input);
  checkDueOn(data.dueOn, today);
  await db.transaction().execute(async (trx) => {
    const row = await lockTicket(trx, tenantId, id);
    if (!row) throw notFound("Ticket", id);
    if (data.assigneeId !== undefined) await checkAssignee(trx, tenantId, data.assigneeId);
    const closing = data.status !== undefined && data.status !== row.status;
    await updateTicket(trx, tenantId, id, {
      ...(data.title !== undefined ? { title: data.title } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.assigneeId !== undefined ? { assignee_id: data.assigneeId } : {}),
      ...(data.dueOn !== undefined ? { due_on: data.dueOn } : {}),
      ...(closing ? { status: data.status, closed_at: data.status === "done" ? clock.now() : null } : {}),
    });
  });
  return getTicket(db, tenantId, id);
}

export async function commentOnTicket(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: { body: string },
  actor: Actor,
): Promise<TicketComment> {
  const data = parseInput(ZCreateComment, input);
  return db.transaction().execute(async (trx) => {
    if (!(await lockTicket(trx, tenantId, id))) throw notFound("Ticket", id);
    const row = await insertTicketComment(trx, {
      tenant_id: tenantId,
      ticket_id: id,
      author_kind: actor.kind,
      author_id: actor.id,
      body: data.body,
    });
    await updateTicket(trx, tenantId, id, {});
    const comments = await findTicketComments(trx, tenantId, id);
    return commentFromRow(comments.find((comment) => comment.id === row.id)!);
  });
}
