import type { Executor } from "../../db/database.ts";
import type { ContactChangeSource, ContactChangeTable, ContactRow } from "./customer.table.ts";

/** Who changed a contact, and by which path: the timeline tells it beside the change. */
export interface ContactChangeBy {
  source: ContactChangeSource;
  /** The operator (dashboard) or API key (api); null for an import or the debtor. */
  actorId: string | null;
}

/**
 * Records changes of contacts at the clock's instant `at` (contact_changes, the timeline's source
 * for contacts). The CSV import records its own in the statement that writes them
 * (imports/import.repository.ts `syncContacts`).
 */
export async function recordContactChanges(
  db: Executor,
  changes: { contact: ContactRow; change: ContactChangeTable["change"]; detail?: string | null }[],
  by: ContactChangeBy,
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto("contact_changes")
    .values(
      changes.map(({ contact, change, detail }) => ({
        tenant_id: contact.tenant_id,
        customer_id: contact.customer_id,
        contact_id: contact.id,
        change,
        detail: detail ?? null,
        channel: contact.channel,
        value: contact.value,
        source: by.source,
        actor_id: by.actorId,
        at,
      })),
    )
    .execute();
}
