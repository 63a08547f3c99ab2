import type { Executor } from "../../db/database.ts";
import type { MessageTemplateRow, MessagingSettingsRow } from "./template.table.ts";
import type { TemplateChannel } from "./template.ts";

export async function findTemplate(
  db: Executor,
  tenantId: string,
  name: string,
): Promise<MessageTemplateRow | undefined> {
  return db
    .selectFrom("message_templates")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** Which of these names the tenant has stored. */
export async function findStoredTemplateNames(
  db: Executor,
  tenantId: string,
  names: string[],
): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom("message_templates")
    .select("name")
    .where("tenant_id", "=", tenantId)
    .where("name", "in", names)
    .execute();
  return rows.map((row) => row.name);
}

export async function findTemplates(db: Executor, tenantId: string): Promise<MessageTemplateRow[]> {
  return db
    .selectFrom("message_templates")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("name")
    .execute();
}

export async function upsertTemplate(
  db: Executor,
  row: {
    tenantId: string;
    name: string;
    channel: TemplateChannel;
    subject: string | null;
    body: string;
    whatsappTemplate: string | null;
    whatsappLanguage: string | null;
    whatsappParameters: string[];
    now: Date;
  },
): Promise<MessageTemplateRow> {
  const values = {
    subject: row.subject,
    body: row.body,
    whatsapp_template: row.whatsappTemplate,
    whatsapp_language: row.whatsappLanguage,
    whatsapp_parameters: row.whatsappParameters,
    updated_at: row.now,
  };
  return db
    .insertInto("message_templates")
    .values({ tenant_id: row.tenantId, name: row.name, channel: row.channel, ...values })
    .onConflict((conflict) => conflict.columns(["tenant_id", "name"]).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTemplate(db: Executor, tenantId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom("message_templates")
    .where("tenant_id", "=", tenantId)
    .where("name", "=", name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findMessagingSettings(
  db: Executor,
  tenantId: string,
): Promise<MessagingSettingsRow | undefined> {
  return db.selectFrom("messaging_settings").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
}
