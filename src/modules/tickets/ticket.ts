import { z } from "zod";
import { ZDate } from "../../http/schemas.ts";
import type { ActorKind } from "../audit/audit.table.ts";
import type { TicketStatus } from "./ticket.table.ts";

/**
 * Glossary: a ticket (ticket interno, ocorrência) is a piece of work for one operator of the
 * collections team — call a debtor, check a payment — optionally about one customer, with a due
 * date and comments. Status: open (nobody started), in_progress, done (closed; may be reopened).
 * An actor is who did something: an operator or an API key (the creditor's own systems).
 */
export interface Actor {
  kind: ActorKind;
  id: string | null;
}

export interface TicketComment {
  id: string;
  author: Actor & { name: string | null };
  body: string;
  createdAt: Date;
}

export interface Ticket {
  id: string;
  customerId: string | null;
  customerName: string | null;
  title: string;
  description: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueOn: string | null;
  status: TicketStatus;
  createdBy: Actor;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface TicketDetail extends Ticket {
  comments: TicketComment[];
}

export const TICKET_STATUSES = ["open", "in_progress", "done"] as const satisfies readonly TicketStatus[];

export const ZTicketStatus = z.enum(TICKET_STATUSES, {
  error: "status: use open (aberto), in_progress (em andamento) ou done (concluído)",
});

export const ZCreateTicket = z.strictObject({
  title: z.string().trim().min(1, { error: "informe o título do ticket" }).max(200),
  description: z.string().trim().max(10_000).default(""),
  customerId: z.uuid({ error: "id de cliente inválido" }).nullish(),
  assigneeId: z.uuid({ error: "id de operador inválido" }).nullish(),
  dueOn: ZDate.nullish(),
});
export type TCreateTicket = z.input<typeof ZCreateTicket>;

export const ZUpdateTicket = z
  .strictObject({
    title: z.string().trim().min(1, { error: "informe o título do ticket" }).max(200).optional(),
    description: z.string().trim().max(10_000).optional(),
    status: ZTicketStatus.optional(),
    assigneeId: z.uuid({ error: "id de operador inválido" }).nullable().optional(),
    dueOn: ZDate.nullable().optional(),
  })
  .refine((update) => Object.keys(update).length > 0, {
    error: "informe ao menos um campo: status, assigneeId, dueOn, title ou description",
  });
export type TUpdateTicket = z.input<typeof ZUpdateTicket>;

export const ZCreateComment = z.strictObject({
  body: z.string().trim().min(1, { error: "escreva o comentário" }).max(10_000),
});

/** `assignee=me` (the signed-in operator), `none` (nobody yet) or an operator's id. */
export const ZAssigneeFilter = z.union([z.literal("me"), z.literal("none"), z.uuid()], {
  error: "assignee: use me, none ou o id de um operador",
});

export interface TicketFilter {
  status?: TicketStatus | "active";
  /** an operator's id, or null for tickets with nobody assigned */
  assigneeId?: string | null;
  customerId?: string;
}
