import { sql } from "kysely";
import { sealSecret } from "../shared/secret-box.ts";
import type { Executor } from "./database.ts";

/** Every column that holds a provider credential, with the key that names its row. */
export const SECRET_COLUMNS = [
  { table: "messaging_settings", keys: ["tenant_id"], column: "smtp_url" },
  { table: "messaging_settings", keys: ["tenant_id"], column: "sms_token" },
  { table: "messaging_settings", keys: ["tenant_id"], column: "sms_callback_token" },
  { table: "messaging_settings", keys: ["tenant_id"], column: "whatsapp_token" },
  { table: "messaging_settings", keys: ["tenant_id"], column: "whatsapp_app_secret" },
  { table: "messaging_settings", keys: ["tenant_id"], column: "whatsapp_verify_token" },
  { table: "webhook_endpoints", keys: ["tenant_id", "id"], column: "secret" },
  { table: "payment_gateways", keys: ["tenant_id", "provider"], column: "secret" },
] as const;

/**
 * Seals the secrets written before they were encrypted at rest (plain values have no `enc:v1:`
 * prefix). Run at start after the migrations; a second run finds nothing to do. The key lives
 * outside the database, so this cannot be a SQL migration. A handful of rows per tenant: one
 * update per row is fine here.
 */
export async function sealPlaintextSecrets(db: Executor): Promise<number> {
  let sealed = 0;
  for (const { table, keys, column } of SECRET_COLUMNS) {
    const rows = await sql<Record<string, string>>`
      select ${sql.join(keys.map((key) => sql.ref(key)))}, ${sql.ref(column)} as value
      from ${sql.table(table)}
      where ${sql.ref(column)} is not null and ${sql.ref(column)} not like 'enc:v1:%'`.execute(db);
    for (const row of rows.rows) {
      const match = sql.join(
        keys.map((key) => sql`${sql.ref(key)} = ${row[key]}`),
        sql` and `,
      );
      await sql`
        update ${sql.table(table)} set ${sql.ref(column)} = ${sealSecret(row.value!)}
        where ${match} and ${sql.ref(column)} = ${row.value}`.execute(db);
      sealed += 1;
    }
  }
  return sealed;
}
