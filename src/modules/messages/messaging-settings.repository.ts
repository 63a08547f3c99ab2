import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { MessagingSettingsRow, MessagingSettingsTable } from "../templates/template.table.ts";

export type MessagingSettingsChanges = Partial<Omit<MessagingSettingsTable, "tenant_id" | "updated_at">>;

/** Writes the changed columns, creating the tenant's row on its first change. */
export function upsertMessagingSettings(
  db: Executor,
  tenantId: string,
  changes: MessagingSettingsChanges,
): Promise<MessagingSettingsRow> {
  return db
    .insertInto("messaging_settings")
    .values({ tenant_id: tenantId, ...changes } as never)
    .onConflict((conflict) =>
      conflict.column("tenant_id").doUpdateSet({ ...changes, updated_at: sql`now()` } as never),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
