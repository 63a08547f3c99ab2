import type { Generated, Insertable, Selectable } from "kysely";
import type { ActorKind } from "../audit/audit.table.ts";

export type TicketStatus = "open" | "in_progress" | "done";

export interface TicketTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string | null;
  title: string;
  description: Generated<string>;
  assignee_id: string | null;
  due_on: string | null;
  status: Generated<TicketStatus>;
  created_by_kind: ActorKind;
  created_by_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: Date | null;
}

export interface TicketCommentTable {
  tenant_id: string;
  id: Generated<string>;
  ticket_id: string;
  author_kind: ActorKind;
  author_id: string | null;
  body: string;
  created_at: Generated<Date>;
}

export type TicketRow = Selectable<TicketTable>;
export type NewTicketRow = Insertable<TicketTable>;
export type TicketCommentRow = Selectable<TicketCommentTable>;
