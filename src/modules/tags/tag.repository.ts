import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { TagCount } from "./tag.ts";

export type Tagged = "customers" | "invoices";

/** Adds tags (kept sorted, without repeats); the row's tags, or undefined when it is not the tenant's. */
export async function addTagsTo(
  db: Executor,
  table: Tagged,
  tenantId: string,
  id: string,
  tags: string[],
): Promise<string[] | undefined> {
  const result = await sql<{ tags: string[] }>`
    update ${sql.table(table)}
    set tags = (select coalesce(array_agg(distinct tag order by tag), '{}') from unnest(tags || ${tags}::text[]) tag),
      updated_at = now()
    where tenant_id = ${tenantId} and id = ${id}
    returning tags`.execute(db);
  return result.rows[0]?.tags;
}

export async function removeTagFrom(
  db: Executor,
  table: Tagged,
  tenantId: string,
  id: string,
  tag: string,
): Promise<string[] | undefined> {
  const result = await sql<{ tags: string[] }>`
    update ${sql.table(table)} set tags = array_remove(tags, ${tag}), updated_at = now()
    where tenant_id = ${tenantId} and id = ${id}
    returning tags`.execute(db);
  return result.rows[0]?.tags;
}

/** Every tag of the tenant with how many customers and invoices carry it, by name. */
export async function countTags(db: Executor, tenantId: string): Promise<TagCount[]> {
  const result = await sql<{ tag: string; customers: number; invoices: number }>`
    with used as (
      select tag, 1 as customer, 0 as invoice from customers, unnest(tags) tag where tenant_id = ${tenantId}
      union all
      select tag, 0, 1 from invoices, unnest(tags) tag where tenant_id = ${tenantId} and tags <> '{}'
    )
    select tag, sum(customer)::integer as customers, sum(invoice)::integer as invoices
    from used group by tag order by tag`.execute(db);
  return result.rows;
}
