import { isDatabaseUnavailable } from "../../db/connection-errors.ts";
import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { OpenInvoices } from "../open-debt/open-debt.service.ts";
import { getTemplate } from "../templates/template.service.ts";
import type { MessageTemplate } from "../templates/template.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findContactsForMessages,
  findCustomersForMessages,
  findGroupActions,
  findInvoicesForMessages,
  type GroupAction,
} from "./message.repository.ts";
import type { MessageRow } from "./message.table.ts";

/** The items by key, each list in the items' order. */
export function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

type Loaded<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>[number];
export type MessageCustomer = Loaded<typeof findCustomersForMessages>;
export type MessageContact = Loaded<typeof findContactsForMessages>;
export type MessageInvoiceRow = Loaded<typeof findInvoicesForMessages>;

interface BatchRows {
  actionsByGroup: Map<string, GroupAction[]>;
  invoiceById: Map<string, MessageInvoiceRow>;
  customerById: Map<string, MessageCustomer>;
  contactsByCustomer: Map<string, MessageContact[]>;
  settlements: OpenInvoices;
}

/**
 * Everything one tenant's claimed messages speak of, loaded with one query per table: the planned
 * actions behind each message, their invoices with what settles them, the customers and their
 * contacts. Looked up once per message by key, never by scanning the batch.
 */
export class MessageBatch {
  private readonly todayByZone = new Map<string, string>();
  private readonly templates = new Map<string, MessageTemplate | null>();

  readonly tenant: Tenant;
  readonly settlements: OpenInvoices;
  private readonly db: Executor;
  private readonly loaded: BatchRows;

  private constructor(db: Executor, tenant: Tenant, loaded: BatchRows) {
    this.db = db;
    this.tenant = tenant;
    this.loaded = loaded;
    this.settlements = loaded.settlements;
  }

  static async load(db: Executor, tenant: Tenant, rows: MessageRow[]): Promise<MessageBatch> {
    const actions = await findGroupActions(
      db,
      tenant.id,
      rows.map((row) => row.group_key),
    );
    const invoiceIds = [...new Set(actions.map((action) => action.invoice_id))];
    const customerIds = [...new Set(rows.map((row) => row.customer_id))];
    const [invoices, customers, contacts, settlements] = await Promise.all([
      findInvoicesForMessages(db, tenant.id, invoiceIds),
      findCustomersForMessages(db, tenant.id, customerIds),
      findContactsForMessages(db, tenant.id, customerIds),
      OpenInvoices.load(db, tenant, invoiceIds),
    ]);
    return new MessageBatch(db, tenant, {
      actionsByGroup: groupBy(actions, (action) => action.group_key),
      invoiceById: new Map(invoices.map((invoice) => [invoice.id, invoice])),
      customerById: new Map(customers.map((customer) => [customer.id, customer])),
      contactsByCustomer: groupBy(contacts, (contact) => contact.customer_id),
      settlements,
    });
  }

  actionsOf(row: MessageRow): GroupAction[] {
    return this.loaded.actionsByGroup.get(row.group_key) ?? [];
  }

  invoice(id: string): MessageInvoiceRow | undefined {
    return this.loaded.invoiceById.get(id);
  }

  customer(id: string): MessageCustomer | undefined {
    return this.loaded.customerById.get(id);
  }

  contactsOf(customerId: string): MessageContact[] {
    return this.loaded.contactsByCustomer.get(customerId) ?? [];
  }

  /** The debtor's today (their time zone), computed once per zone. */
  todayIn(timeZone: string, now: Date): string {
    let today = this.todayByZone.get(timeZone);
    if (today === undefined) {
      today = todayIn(timeZone, now);
      this.todayByZone.set(timeZone, today);
    }
    return today;
  }

  /** The tenant's version of a template, else the default; null when neither exists. */
  async template(name: string): Promise<MessageTemplate | null> {
    let template = this.templates.get(name);
    if (template === undefined) {
      // a missing template fails the message; a database out of reach fails the batch instead
      template = await getTemplate(this.db, this.tenant.id, name).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) throw error;
        return null;
      });
      this.templates.set(name, template);
    }
    return template;
  }
}
