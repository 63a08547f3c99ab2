/** The API's ticket shapes as the pages read them (see src/modules/tickets/ticket.ts). */
export interface TicketView {
  id: string;
  customerId: string | null;
  customerName: string | null;
  title: string;
  description: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueOn: string | null;
  status: "open" | "in_progress" | "done";
  createdAt: string;
  closedAt: string | null;
}

export interface TicketDetailView extends TicketView {
  comments: {
    id: string;
    author: { kind: string; id: string | null; name: string | null };
    body: string;
    createdAt: string;
  }[];
}

export interface Assignee {
  id: string;
  name: string;
  role: string;
}
