import { type Kysely, sql } from "kysely";
import type { DatabaseHandle } from "../src/db/connect.ts";
import type { Database, Executor } from "../src/db/database.ts";
import { ensureDefaultPolicy } from "../src/modules/policies/policy.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";
import { insertBenchTenant } from "./bench-tenant.ts";

/** The day the planner and scale benches plan: their portfolios' due dates spread around it. */
export const PLAN_DATE = "2026-06-16";

export interface PortfolioOptions {
  /** The tenant's slug (default `bench`). */
  slug?: string;
  /** One invoice in this many has a third of it paid, with its payment row (default: none). */
  partialPaymentEvery?: number;
  /**
   * Invoices due before this day were already announced overdue (`overdue_announced_on`), as if
   * the earlier days had run; the outbox events of those days are history, not generated.
   */
  announcedBefore?: string;
}

/**
 * A large open portfolio made by SQL (generate_series): `invoicesPerCustomer` open invoices per
 * customer with due dates spread over 150 days around PLAN_DATE, contacts for most customers
 * (e-mail unless the id ends in 7, SMS unless it ends in 3), states across Brazil, a tag each, and
 * the default policy. Vacuumed and analysed, as a production database would be, before timing.
 */
export async function generatePortfolio(
  handle: DatabaseHandle,
  customers: number,
  invoicesPerCustomer: number,
  options: PortfolioOptions = {},
): Promise<Tenant> {
  const { db } = handle;
  const tenant = await insertBenchTenant(db, options.slug ?? "bench");
  await ensureDefaultPolicy(db, tenant.id);
  await withIndexesBuiltAfter(db, "customers", (connection) =>
    sql`
    insert into customers (tenant_id, external_id, name, document, kind, address_street, address_state,
      address_postal_code, time_zone, tags)
    select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'),
      case when n % 5 = 0 then 'company' else 'person' end, 'Rua ' || n,
      (array['SP','SP','SP','RJ','MG','RS','PR','BA','PE','AM','ES','AL','CE','GO'])[1 + n % 14],
      '01000-000',
      case when n % 14 = 9 then 'America/Manaus' else 'America/Sao_Paulo' end,
      array[(array['varejo', 'atacado', 'vip', 'governo'])[1 + n % 4]]
    from generate_series(1, ${customers}) as n`.execute(connection),
  );
  await withIndexesBuiltAfter(db, "contacts", async (connection) => {
    await sql`
      insert into contacts (tenant_id, customer_id, channel, value)
      select c.tenant_id, c.id, 'email', c.external_id || '@example.com'
      from customers c where c.tenant_id = ${tenant.id}::uuid and c.external_id::text not like '%7'`.execute(
      connection,
    );
    await sql`
      insert into contacts (tenant_id, customer_id, channel, value)
      select c.tenant_id, c.id, 'sms', '+5511' || lpad(substr(c.external_id, 2), 9, '9')
      from customers c where c.tenant_id = ${tenant.id}::uuid and c.external_id::text not like '%3'`.execute(
      connection,
    );
  });
  const paidEvery = options.partialPaymentEvery ?? 0;
  const announcedBefore = options.announcedBefore ?? null;
  await withIndexesBuiltAfter(db, "invoices", (connection) =>
    sql`
    insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date, paid_cents,
      overdue_announced_on)
    select c.tenant_id, c.external_id || '-' || k, c.id, amount, d - 30, d,
      case when ${paidEvery}::integer > 0 and (hashtext(c.external_id || '$' || k) & 2147483647) % greatest(${paidEvery}::integer, 1) = 0
        then amount / 3 else 0 end,
      case when d < ${announcedBefore}::date then d + 1 end
    from customers c
    cross join generate_series(1, ${invoicesPerCustomer}) as k
    cross join lateral (select ${PLAN_DATE}::date - 90 + ((hashtext(c.external_id || '/' || k) & 2147483647) % 150) as d,
      5000 + (hashtext(c.external_id || k) & 65535) as amount) due
    where c.tenant_id = ${tenant.id}::uuid`.execute(connection),
  );
  if (paidEvery > 0) {
    await withIndexesBuiltAfter(db, "payments", (connection) =>
      sql`
      insert into payments (tenant_id, external_id, invoice_id, amount_cents, method, paid_at, created_at)
      select tenant_id, 'p-' || external_id, id, paid_cents, 'pix',
        (due_date - 3 + time '14:00') at time zone 'America/Sao_Paulo',
        (due_date - 3 + time '14:00') at time zone 'America/Sao_Paulo'
      from invoices where tenant_id = ${tenant.id}::uuid and paid_cents > 0`.execute(connection),
    );
  }
  // a production database is vacuumed: set hint bits and the visibility map before timing
  await sql`vacuum analyze`.execute(db);
  return tenant;
}

/**
 * A bulk load with the table's keys and indexes built afterwards, each by one sort, instead of
 * row by row into indexes larger than the server's buffers (many times faster at millions of
 * rows): its secondary indexes, its primary key and unique constraints, its foreign keys and those
 * pointing at it are dropped, the rows loaded, then everything is made again from its own
 * definition, under its own name — the schema after is the migrated one, and re-adding a key
 * checks the loaded rows. Foreign keys pointing at the table come from tables still empty when the
 * generators load. One connection, so that its maintenance_work_mem serves the builds.
 */
async function withIndexesBuiltAfter(
  db: Kysely<Database>,
  table: string,
  load: (connection: Kysely<Database>) => Promise<unknown>,
): Promise<void> {
  await db.connection().execute(async (connection) => {
    const indexes = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes
      where schemaname = 'public' and tablename = ${table}
        and indexname not in (select conname from pg_constraint where conrelid = ${table}::regclass)`.execute(
      connection,
    );
    const constraints = await sql<{ owner: string; name: string; definition: string; kind: string }>`
      select conrelid::regclass::text as owner, conname as name, pg_get_constraintdef(oid) as definition,
        contype::text as kind
      from pg_constraint
      where (conrelid = ${table}::regclass and contype in ('p', 'u', 'f'))
        or (confrelid = ${table}::regclass and contype = 'f')
      order by contype = 'f' desc`.execute(connection);
    const unique = new Map(constraints.rows.map((row) => [`${row.owner}.${row.name}`, row]));
    const keys = [...unique.values()];
    for (const key of keys) {
      await sql`alter table ${sql.id(key.owner)} drop constraint ${sql.id(key.name)}`.execute(connection);
    }
    for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(connection);
    await load(connection);
    await sql`set maintenance_work_mem = '512MB'`.execute(connection);
    // keys before the foreign keys that need them, which come last in `keys`
    for (const key of [...keys].reverse()) {
      await sql`alter table ${sql.id(key.owner)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
        connection,
      );
    }
    for (const index of indexes.rows) await sql.raw(index.definition).execute(connection);
    await sql`reset maintenance_work_mem`.execute(connection);
  });
}

/**
 * Agreements proposed or active, each over the oldest overdue open invoice of its customer, for
 * three customers in a thousand (external ids `c<n>`, picked by a fixed stride).
 */
export async function insertAgreements(
  db: Executor,
  tenantId: string,
  customers: number,
  today: string,
): Promise<void> {
  await sql`
    with chosen as (
      select c.tenant_id, c.id as customer_id, n
      from generate_series(1, ${(customers * 3) / 1000}) as n
      join customers c on c.tenant_id = ${tenantId}::uuid and c.external_id = 'c' || (n * 331 % ${customers} + 1)
    ),
    made as (
      insert into agreements (tenant_id, customer_id, status, created_by, debt, terms, concession_cents, total_cents)
      select tenant_id, customer_id, (array['proposed','active'])[1 + n % 2], 'bench', '{}'::jsonb, '{}'::jsonb, 0, 10000 + n
      from chosen
      returning tenant_id, id, customer_id
    )
    insert into agreement_invoices (tenant_id, agreement_id, invoice_id)
    select m.tenant_id, m.id, i.id from made m
    cross join lateral (select i.id from invoices i where i.tenant_id = m.tenant_id and i.customer_id = m.customer_id
      and i.status = 'open' and i.due_date < ${today}::date order by i.due_date limit 1) i`.execute(db);
}
