import { sql } from "kysely";
import type { DatabaseHandle } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { previewAgreement } from "../src/modules/agreements/agreement.service.ts";
import type { AgreementActor } from "../src/modules/agreements/agreement.ts";
import { createCampaign } from "../src/modules/campaigns/campaign.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";
import { FixedClock } from "../src/shared/clock.ts";
import { openBenchDatabase } from "./bench-database.ts";
import { insertBenchTenant } from "./bench-tenant.ts";
import { type BenchFigure, type Benchmark, median } from "./figure.ts";

/**
 * A campaign over aged debt (issue 17), on PostgreSQL: the preview (`dryRun`) of a campaign over
 * 100,000 customers with an aged debt each — the selection, every customer's plan checked by the
 * agreements' rule under the author's limits, the count — ≤ 30 s; and the campaign made (offers,
 * arms, their invoices and the planned messages) ≤ 60 s. The floors are an operator's wait: the
 * preview answers the campaign form's "Simular" in one request, which a reverse proxy's default
 * timeout (60 s, nginx's proxy_read_timeout) must not cut, with room for a loaded server; making it
 * may take that whole minute. See docs/effectiveness.md#benchmarks.
 * The per-customer preview it replaced is measured on 1,000 of them beside it, for the ratio.
 * `BENCH_CAMPAIGN_SCALE` (default 100,000) sets the customers.
 */
const DATABASE = "regua_bench_campaigns";
const SCALE = Number(process.env.BENCH_CAMPAIGN_SCALE ?? 100_000);
const ONE_BY_ONE_SAMPLE = 1_000;
const TODAY = "2026-12-01";
const ACTOR: AgreementActor = { kind: "operator", id: "bench", role: "admin" };

/**
 * One customer per aged debt: an invoice 60 to 400 days overdue of R$ 100 to R$ 755, a fifth of
 * them partly paid (a payment replayed for fine and interest, CC art. 354), and an e-mail each.
 */
export async function generate(handle: DatabaseHandle): Promise<Tenant> {
  const { db } = handle;
  const tenant = await insertBenchTenant(db, "bench-campaigns");
  await sql`
    insert into customers (tenant_id, external_id, name, document, kind)
    select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person'
    from generate_series(1, ${SCALE}) as n`.execute(db);
  await sql`
    insert into contacts (tenant_id, customer_id, channel, value)
    select c.tenant_id, c.id, 'email', c.external_id || '@example.com'
    from customers c where c.tenant_id = ${tenant.id}::uuid`.execute(db);
  await sql`
    insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date, status, paid_cents)
    select c.tenant_id, c.external_id || '-1', c.id, 10000 + (hashtext(c.external_id) & 65535),
      x.due - 15, x.due, 'open', 0
    from customers c
    cross join lateral (select ${TODAY}::date - 60 - (abs(hashtext(c.external_id)) % 340) as due) x
    where c.tenant_id = ${tenant.id}::uuid`.execute(db);
  await sql`
    with paid as (
      insert into payments (tenant_id, invoice_id, amount_cents, paid_at, method, external_id)
      select i.tenant_id, i.id, 3000, (i.due_date + 10)::timestamptz + interval '15 hours', 'pix', 'p-' || i.external_id
      from invoices i where i.tenant_id = ${tenant.id}::uuid and hashtext(i.external_id) % 5 = 0
      returning invoice_id, amount_cents
    )
    update invoices i set paid_cents = paid.amount_cents from paid
    where i.tenant_id = ${tenant.id}::uuid and i.id = paid.invoice_id`.execute(db);
  await sql`analyze customers, contacts, invoices, payments`.execute(db);
  return tenant;
}

function campaignInput(dryRun: boolean) {
  return {
    name: "Dívidas antigas",
    selection: { daysOverdueFrom: 60 },
    offer: { installments: 0, principalDiscountBps: 2000, waiveFine: true, waiveInterest: true },
    channels: ["email" as const],
    validUntil: "2026-12-20",
    holdoutPercent: 10,
    dryRun,
  };
}

const benchmark: Benchmark = async (emit) => {
  const figures: BenchFigure[] = [];
  const { handle: server, drop } = await openBenchDatabase(DATABASE, { keep: false, maxConnections: 4 });
  const clock = new FixedClock(`${TODAY}T12:00:00Z`);
  const scaleNote =
    SCALE === 100_000 ? "full size" : `SMALLER THAN THE FLOOR'S SIZE (BENCH_CAMPAIGN_SCALE=${SCALE})`;
  try {
    await migrate(server);
    const generation = performance.now();
    const tenant = await generate(server);
    const generatedIn = (performance.now() - generation) / 1000;

    const previews: number[] = [];
    let eligible = 0;
    for (let run = 0; run < 2; run += 1) {
      const started = performance.now();
      const counted = await createCampaign(server.db, tenant, campaignInput(true), ACTOR, clock);
      previews.push((performance.now() - started) / 1000);
      eligible = counted.eligible;
    }
    const previewFigure: BenchFigure = {
      name: `PostgreSQL: preview a campaign over ${SCALE.toLocaleString("en")} aged debts`,
      value: median(previews),
      unit: "s",
      floor: 30,
      better: "lower",
      note: `${scaleNote}; median of 2 (${previews.map((s) => s.toFixed(1)).join(", ")} s); ${eligible} eligible; portfolio generated in ${generatedIn.toFixed(0)} s`,
    };

    // the former path: one preview per customer, on a sample, for the ratio
    const sample = await sql<{ customer_id: string; id: string }>`
      select customer_id, id from invoices where tenant_id = ${tenant.id}::uuid
      order by external_id limit ${ONE_BY_ONE_SAMPLE}`.execute(server.db);
    const oneByOne = performance.now();
    for (const row of sample.rows) {
      await previewAgreement(
        server.db,
        tenant,
        {
          customerId: row.customer_id,
          terms: { ...campaignInput(true).offer, invoiceIds: [row.id] },
          actor: ACTOR,
        },
        clock,
      );
    }
    const perCustomerMs = (performance.now() - oneByOne) / sample.rows.length;
    const setBasedMs = (previewFigure.value * 1000) / SCALE;
    previewFigure.note += `; one preview per customer (the former path): ${perCustomerMs.toFixed(1)} ms each over ${sample.rows.length}, ${(perCustomerMs / setBasedMs).toFixed(0)}x the batch's ${setBasedMs.toFixed(2)} ms`;
    emit(previewFigure);

    const making = performance.now();
    const created = await createCampaign(server.db, tenant, campaignInput(false), ACTOR, clock);
    const madeIn = (performance.now() - making) / 1000;
    figures.push({
      name: `PostgreSQL: make a campaign over ${SCALE.toLocaleString("en")} aged debts`,
      value: madeIn,
      unit: "s",
      floor: 60,
      better: "lower",
      note: `${scaleNote}; ${created.offered} offered, ${created.holdout} in the holdout, ${created.actions} messages planned`,
    });
  } finally {
    await server.close();
    await drop();
  }
  return figures;
};

export default benchmark;
