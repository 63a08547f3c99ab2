import { sql } from "kysely";
import type { DatabaseHandle } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { tenantFromRow } from "../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";
import { openBenchDatabase } from "./bench-database.ts";
import { insertBenchTenant } from "./bench-tenant.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";
import { insertAgreements } from "./portfolio.ts";
import { measureOpenDebt } from "./read-latency.ts";

/**
 * The open-debt read model (issue 13) serving a customer page, PostgreSQL: 1,000,000 invoices of
 * 200,000 customers due over the 12 months before the day and the month after it (the panel
 * bench's portfolio: most paid, a fifth late, one in twelve still open), a payment per paid
 * invoice, and agreements proposed or active over one overdue invoice of three customers per
 * thousand. Floor: what one customer owes today (getOpenDebt: its open invoices, agreements,
 * disputes, payments, late charges) p95 ≤ 20 ms over random customers. BENCH_OPEN_DEBT_KEEP=1 keeps
 * the database and reuses it on the next run (once its generation finished).
 */
const DATABASE = "regua_bench_open_debt";
const TODAY = "2026-11-23";
const CUSTOMERS = 200_000;
const INVOICES_PER_CUSTOMER = 5;
const WARMUP = 20;
const RUNS = 300;
const FLOOR_MS = 20;

async function generate(handle: DatabaseHandle): Promise<Tenant> {
  const { db } = handle;
  const tenant = await insertBenchTenant(db, "bench-open-debt");
  await sql`
    insert into customers (tenant_id, external_id, name, document, kind)
    select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person'
    from generate_series(1, ${CUSTOMERS}) as n`.execute(db);
  await sql`
    insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date,
      status, paid_cents, paid_at)
    select c.tenant_id, c.external_id || '-' || k, c.id, amount, due - 30, due,
      case when paid_on is not null then 'paid' else 'open' end,
      case when paid_on is not null then amount else 0 end,
      (paid_on + time '14:00') at time zone 'America/Sao_Paulo'
    from customers c
    cross join generate_series(1, ${INVOICES_PER_CUSTOMER}) as k
    cross join lateral (
      select ${TODAY}::date - 365 + ((hashtext(c.external_id || '/' || k) & 2147483647) % 395) as due,
        5000 + (hashtext(c.external_id || k) & 65535) as amount,
        (hashtext(c.external_id || ':' || k) & 2147483647) % 100 as fate
    ) h
    cross join lateral (
      select case
        when fate < 70 and due - fate % 5 <= ${TODAY}::date then due - fate % 5
        when fate between 70 and 91 and due + 1 + fate % 40 <= ${TODAY}::date then due + 1 + fate % 40
      end as paid_on
    ) p
    where c.tenant_id = ${tenant.id}::uuid`.execute(db);
  await sql`
    insert into payments (tenant_id, external_id, invoice_id, amount_cents, method, paid_at, created_at)
    select tenant_id, 'p-' || external_id, id, amount_cents, 'pix', paid_at, paid_at
    from invoices where tenant_id = ${tenant.id}::uuid and status = 'paid'`.execute(db);
  await insertAgreements(db, tenant.id, CUSTOMERS, TODAY);
  await sql`vacuum analyze`.execute(db);
  return tenant;
}

const KEEP = process.env.BENCH_OPEN_DEBT_KEEP === "1";

const benchmark: Benchmark = async () => {
  const {
    handle,
    existed: exists,
    drop,
  } = await openBenchDatabase(DATABASE, { keep: KEEP, maxConnections: 4 });
  try {
    await migrate(handle);
    const generation = performance.now();
    // a kept database is reused only when its generation finished (agreements come last)
    const complete =
      KEEP &&
      exists &&
      (await handle.db.selectFrom("agreement_invoices").select("invoice_id").executeTakeFirst());
    const kept = complete ? await handle.db.selectFrom("tenants").selectAll().executeTakeFirst() : undefined;
    const tenant = kept ? tenantFromRow(kept) : await generate(handle);
    const generatedIn = (performance.now() - generation) / 1000;
    const {
      p95,
      median: middle,
      samples,
      invoices,
    } = await measureOpenDebt(handle.db, tenant, TODAY, {
      customers: CUSTOMERS,
      warmup: WARMUP,
      runs: RUNS,
    });
    return [
      {
        name: "PostgreSQL: open debt of one customer page p95 (1M invoices)",
        value: p95,
        unit: "ms",
        floor: FLOOR_MS,
        better: "lower",
        note:
          `median ${middle.toFixed(1)} ms of ${samples} customers, ${invoices} open invoices read; ` +
          `generated in ${generatedIn.toFixed(0)} s`,
      },
    ] satisfies BenchFigure[];
  } finally {
    await handle.close();
    if (!KEEP) await drop();
  }
};

export default benchmark;
