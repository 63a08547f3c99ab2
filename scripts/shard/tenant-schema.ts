import { type Kysely, sql } from "kysely";

/**
 * Shard readiness: whether the schema can be distributed by tenant on Citus without a rewrite.
 *
 * Terms (Citus's): a *distributed* table is split into shards by its distribution column
 * (`tenant_id` here), and all of ours share one *colocation group*, so that one tenant's rows of
 * every table sit on the same node and joins on `tenant_id` stay on that node. A *reference* table
 * is copied whole to every node. Citus refuses a primary key, unique constraint or unique index on
 * a distributed table that does not include the distribution column, and a foreign key between
 * distributed tables that does not equate it; so those are what `shardReadinessProblems` checks,
 * with a primary key on every table (an online shard move replicates rows by their key).
 * There is no exception for a token (a link's code, a cookie, an API key, a webhook's path): it
 * carries its tenant's route, and its row is keyed by (tenant_id, token) (docs/scale.md § Tokens).
 */

export const TENANT_COLUMN = "tenant_id";

export interface TableShape {
  name: string;
  hasTenant: boolean;
  tenantNullable: boolean;
}

export interface UniqueKey {
  table: string;
  name: string;
  kind: "primary key" | "unique constraint" | "unique index" | "exclusion constraint";
  /** Key columns in order; an expression in an index has no name and is left out. */
  columns: string[];
}

export interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** Columns an ON DELETE SET NULL/DEFAULT would change; empty when the action changes none. */
  columnsSetOnDelete: string[];
}

/** A function of ours that takes the tenant: Citus can run it on the tenant's worker. */
export interface TenantFunction {
  /** Name and argument types, as `regprocedure` prints them. */
  signature: string;
  /** The argument naming the tenant. */
  tenantArgument: string;
}

export interface TenantSchema {
  tables: TableShape[];
  keys: UniqueKey[];
  foreignKeys: ForeignKey[];
  functions: TenantFunction[];
}

export type Placement = "reference" | "coordinator";

/** Tables without a tenant, each with where it lives on Citus and why. */
export const TABLES_WITHOUT_TENANT: Record<string, { placement: Placement; reason: string }> = {
  tenants: {
    placement: "reference",
    reason:
      "the tenants themselves: one small row per creditor, read by nearly every query and the target of every tenant_id foreign key",
  },
  schema_migrations: {
    placement: "coordinator",
    reason:
      "which migrations ran: read and written only by `migrate` on the coordinator, which propagates the DDL to the workers",
  },
};

/** The shape of every table in `public`, read from the catalog of a migrated database. */
export async function readTenantSchema<Tables>(db: Kysely<Tables>): Promise<TenantSchema> {
  const tables = await sql<{ name: string; has_tenant: boolean; tenant_nullable: boolean }>`
    select c.relname::text as name,
           a.attname is not null as has_tenant,
           coalesce(not a.attnotnull, false) as tenant_nullable
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    left join pg_attribute a on a.attrelid = c.oid and a.attname = ${TENANT_COLUMN} and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`.execute(db);
  const keys = await sql<{ table: string; name: string; kind: UniqueKey["kind"]; columns: string[] }>`
    select t.relname::text as table, i.relname::text as name,
           case when x.indisprimary then 'primary key'
                when k.contype = 'x' then 'exclusion constraint'
                when k.contype = 'u' then 'unique constraint'
                else 'unique index' end as kind,
           array(select a.attname::text
                 from unnest(x.indkey::int2[]) with ordinality as column_number (attnum, position)
                 join pg_attribute a on a.attrelid = x.indrelid and a.attnum = column_number.attnum
                 order by column_number.position) as columns
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
    left join pg_constraint k on k.conindid = x.indexrelid and k.conrelid = x.indrelid
    where (x.indisunique or k.contype = 'x') and not t.relispartition
    order by t.relname, i.relname`.execute(db);
  const foreignKeys = await sql<{
    table: string;
    name: string;
    columns: string[];
    referenced_table: string;
    referenced_columns: string[];
    columns_set_on_delete: string[];
  }>`
    select t.relname::text as table, k.conname::text as name,
           array(select a.attname::text from unnest(k.conkey) with ordinality as c (attnum, position)
                 join pg_attribute a on a.attrelid = k.conrelid and a.attnum = c.attnum
                 order by c.position) as columns,
           r.relname::text as referenced_table,
           array(select a.attname::text from unnest(k.confkey) with ordinality as c (attnum, position)
                 join pg_attribute a on a.attrelid = k.confrelid and a.attnum = c.attnum
                 order by c.position) as referenced_columns,
           case when k.confdeltype not in ('n', 'd') then '{}'::text[]
                when k.confdelsetcols is null then
                  array(select a.attname::text from unnest(k.conkey) with ordinality as c (attnum, position)
                        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = c.attnum
                        order by c.position)
                else array(select a.attname::text from unnest(k.confdelsetcols) as c (attnum)
                           join pg_attribute a on a.attrelid = k.conrelid and a.attnum = c.attnum
                           order by a.attnum) end as columns_set_on_delete
    from pg_constraint k
    join pg_class t on t.oid = k.conrelid
    join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
    join pg_class r on r.oid = k.confrelid
    where k.contype = 'f'
    order by t.relname, k.conname`.execute(db);
  // a function whose first uuid argument names the tenant; trigger functions run where their row is
  const functions = await sql<{ signature: string; tenant_argument: string }>`
    select p.oid::regprocedure::text as signature, p.proargnames[1] as tenant_argument
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace and n.nspname = 'public'
    where p.prokind = 'f' and p.pronargs > 0 and p.proargtypes[0] = 'uuid'::regtype
      and p.proargnames[1] in (${TENANT_COLUMN}, ${`p_${TENANT_COLUMN}`})
    order by 1`.execute(db);
  return {
    functions: functions.rows.map((row) => ({
      signature: row.signature,
      tenantArgument: row.tenant_argument,
    })),
    tables: tables.rows.map((row) => ({
      name: row.name,
      hasTenant: row.has_tenant,
      tenantNullable: row.tenant_nullable,
    })),
    keys: keys.rows.map((row) => ({ ...row })),
    foreignKeys: foreignKeys.rows.map((row) => ({
      table: row.table,
      name: row.name,
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      columnsSetOnDelete: row.columns_set_on_delete,
    })),
  };
}

/**
 * Everything that would stop `create_distributed_table(…, 'tenant_id')` or break a tenant's
 * colocation, one sentence each naming the table and the constraint; empty when the schema is
 * ready. Entries of the two lists above that no longer match the schema are problems too, so the
 * lists stay true.
 */
export function shardReadinessProblems(schema: TenantSchema): string[] {
  const problems: string[] = [];
  const distributed = new Set(schema.tables.filter((table) => table.hasTenant).map((table) => table.name));
  const known = new Set(schema.tables.map((table) => table.name));
  const withPrimaryKey = new Set(
    schema.keys.filter((key) => key.kind === "primary key").map((key) => key.table),
  );

  for (const table of schema.tables) {
    const listed = TABLES_WITHOUT_TENANT[table.name];
    if (!table.hasTenant && !listed) {
      problems.push(
        `table ${table.name} has no ${TENANT_COLUMN}: add it (leading its keys), or list the table in TABLES_WITHOUT_TENANT with its reason`,
      );
    }
    if (table.hasTenant && listed) {
      problems.push(
        `table ${table.name} has ${TENANT_COLUMN} but is listed in TABLES_WITHOUT_TENANT: remove it`,
      );
    }
    if (table.hasTenant && !withPrimaryKey.has(table.name)) {
      problems.push(
        `table ${table.name} has no primary key: moving its shard online (logical replication) needs one`,
      );
    }
    if (table.hasTenant && table.tenantNullable) {
      problems.push(`${table.name}.${TENANT_COLUMN} allows null: a row without a tenant has no shard`);
    }
  }
  for (const name of Object.keys(TABLES_WITHOUT_TENANT)) {
    if (!known.has(name)) problems.push(`TABLES_WITHOUT_TENANT lists ${name}, which no longer exists`);
  }

  // no exceptions: a token found before its tenant is known carries the tenant (docs/scale.md § Tokens)
  for (const key of schema.keys) {
    if (!distributed.has(key.table) || key.columns.includes(TENANT_COLUMN)) continue;
    problems.push(
      `${key.kind} ${key.name} on ${key.table} (${key.columns.join(", ") || "an expression"}) does not include ${TENANT_COLUMN}`,
    );
  }

  for (const key of schema.foreignKeys) {
    const from = distributed.has(key.table);
    const to = distributed.has(key.referencedTable);
    const where = `foreign key ${key.name} on ${key.table}`;
    if (!from && to) {
      problems.push(`${where} points from a table without a tenant to ${key.referencedTable}, which has one`);
      continue;
    }
    if (!from) continue;
    const position = key.columns.indexOf(TENANT_COLUMN);
    if (position < 0) {
      problems.push(`${where} (${key.columns.join(", ")}) does not include ${TENANT_COLUMN}`);
      continue;
    }
    if (to && key.referencedColumns[position] !== TENANT_COLUMN) {
      problems.push(
        `${where} matches ${TENANT_COLUMN} to ${key.referencedTable}.${key.referencedColumns[position]}, not to its ${TENANT_COLUMN}`,
      );
    }
    if (key.columnsSetOnDelete.includes(TENANT_COLUMN)) {
      problems.push(
        `${where} sets ${TENANT_COLUMN} on delete: name only the other columns, as in SET NULL (x)`,
      );
    }
  }
  return problems;
}
