import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { generateCpf } from "../src/domain/documents.ts";
import { buildApp } from "../src/http/app.ts";
import { createCustomer } from "../src/modules/customers/customer.service.ts";
import { createTenant } from "../src/modules/onboarding/onboarding.service.ts";
import { ensureDefaultPolicy } from "../src/modules/policies/policy.service.ts";
import { createApiKey } from "../src/modules/tenants/api-key.service.ts";
import { systemClock } from "../src/shared/clock.ts";
import type { BenchFigure, Benchmark } from "./figure.ts";
import { checkClean, load } from "./http-load.ts";

/**
 * The HTTP API on PostgreSQL, loaded by autocannon from a second process over the loopback:
 *  - `POST /v1/invoices`: sustained throughput at saturation, and p99 at a steady 1,000 req/s;
 *  - `GET /v1/invoices` with filters on a tenant of 1,000,000 invoices (made with SQL): p99.
 * Set BENCH_DATABASE_URL to use another server (default postgres://postgres@127.0.0.1:5432).
 * The rate limiter is opened wide: it is per key and the load comes from one key.
 */
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = "regua_bench_api";
const LIST_INVOICES = 1_000_000;
const LIST_CUSTOMERS = 100_000;

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const benchmark: Benchmark = async () => {
  await withServer(async (client) => {
    await client.query(`drop database if exists ${DATABASE} with (force)`);
    await client.query(`create database ${DATABASE}`);
  });
  const url = new URL(SERVER_URL);
  url.pathname = `/${DATABASE}`;
  const handle = await openDatabase({
    url: url.toString(),
    maxConnections: Number(process.env.BENCH_API_POOL ?? 10),
  });
  const app = await buildApp({ handle, clock: systemClock, rateLimit: { burst: 1e9, perSecond: 1e9 } });
  try {
    await migrate(handle);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const tenant = await createTenant(handle.db, {
      slug: "bench-api",
      legalName: "Provedor Bench Ltda",
      document: "11.222.333/0001-81",
      address: "Rua das Flores, 100, Campinas/SP",
      boletoBankCode: "237",
      boletoAgency: "1234",
      boletoAccount: "1234567",
      pixKey: "financeiro@bench.com.br",
      pixMerchantCity: "CAMPINAS",
    });
    await ensureDefaultPolicy(handle.db, tenant.id);
    const key = (await createApiKey(handle.db, tenant.id, { name: "bench", scope: "write" })).plaintext;
    const customer = await createCustomer(
      handle.db,
      tenant,
      { externalId: "bench-1", name: "Cliente Bench", document: generateCpf(random) },
      systemClock,
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const body = JSON.stringify({
      externalId: "fat-[<id>]",
      customerId: customer.id,
      description: "Mensalidade",
      amountCents: 15_990,
      issueDate: "2026-11-01",
      dueDate: "2026-12-10",
    });
    const post = { url: `${base}/v1/invoices`, method: "POST", headers, body };
    checkClean("warm-up", await load({ ...post, connections: 16, duration: 3 }));
    const saturated = await load({ ...post, connections: 24, duration: 12 });
    checkClean("saturation", saturated);
    const steady = await load({ ...post, connections: 50, duration: 12, overallRate: 1000 });
    checkClean("steady 1,000 req/s", steady);

    // The same with a tenant that issues only Pix: no boleto "nosso número" to hand out (numbers
    // come from blocks reserved on the tenant's row, see our-number-allocator.ts).
    const pixTenant = await createTenant(handle.db, {
      slug: "bench-pix",
      legalName: "Provedor Pix Ltda",
      document: "11.222.333/0001-81",
      address: "Rua das Flores, 300, Campinas/SP",
      pixKey: "financeiro@pix.com.br",
      pixMerchantCity: "CAMPINAS",
    });
    const pixKey = (await createApiKey(handle.db, pixTenant.id, { name: "bench", scope: "write" })).plaintext;
    const pixCustomer = await createCustomer(
      handle.db,
      pixTenant,
      { externalId: "bench-pix-1", name: "Cliente Pix", document: generateCpf(random) },
      systemClock,
    );
    const pixPost = {
      ...post,
      headers: { ...headers, authorization: `Bearer ${pixKey}` },
      body: body.replace(customer.id, pixCustomer.id),
    };
    checkClean("pix warm-up", await load({ ...pixPost, connections: 16, duration: 3 }));
    const pixSaturated = await load({ ...pixPost, connections: 24, duration: 12 });
    checkClean("pix saturation", pixSaturated);
    const pixSteady = await load({ ...pixPost, connections: 50, duration: 12, overallRate: 1000 });
    checkClean("pix steady", pixSteady);

    // A second tenant with 1,000,000 invoices over 100,000 customers, made set-based in SQL.
    const listTenant = await createTenant(handle.db, {
      slug: "bench-list",
      legalName: "Lista Bench Ltda",
      document: "11.222.333/0001-81",
      address: "Rua das Flores, 200, Campinas/SP",
    });
    const listKey = (await createApiKey(handle.db, listTenant.id, { name: "bench", scope: "read" }))
      .plaintext;
    const built = performance.now();
    await sql`
      insert into customers (tenant_id, external_id, name, document, kind, tags)
      select ${listTenant.id}::uuid, 'c-' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person',
        array[(array['varejo', 'atacado', 'vip', 'governo'])[1 + n % 4]]
      from generate_series(1, ${LIST_CUSTOMERS}) n`.execute(handle.db);
    await sql`analyze customers`.execute(handle.db);
    await sql`
      with c as (
        select array_agg(id order by external_id) as ids from customers where tenant_id = ${listTenant.id}::uuid
      )
      insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date, status, paid_cents)
      select ${listTenant.id}::uuid, 'f-' || n, c.ids[1 + n % ${LIST_CUSTOMERS}], 1000 + n % 50000,
        current_date - 730 + (n % 800) - 10, current_date - 730 + (n % 800),
        case when n % 20 = 0 then 'cancelled' when n % 4 = 0 then 'open' when (n % 800) > 730 then 'open' else 'paid' end,
        0
      from generate_series(1, ${LIST_INVOICES}) n cross join c`.execute(handle.db);
    // settle the new data before measuring: statistics, visibility map, and dirty pages written out
    await sql`vacuum analyze customers`.execute(handle.db);
    await sql`vacuum analyze invoices`.execute(handle.db);
    await sql`checkpoint`.execute(handle.db);
    const buildSeconds = (performance.now() - built) / 1000;
    const someCustomer = await handle.db
      .selectFrom("customers")
      .select("id")
      .where("tenant_id", "=", listTenant.id)
      .where("external_id", "=", "c-4242")
      .executeTakeFirstOrThrow();
    const first = await fetch(`${base}/v1/invoices?status=open&limit=50`, {
      headers: { authorization: `Bearer ${listKey}` },
    });
    const cursor = ((await first.json()) as { next_cursor: string }).next_cursor;
    const paths = [
      "/v1/invoices?status=open&daysOverdueMin=5&daysOverdueMax=90&limit=50",
      "/v1/invoices?status=open&tag=vip&limit=50",
      "/v1/invoices?daysOverdueMin=30&tag=governo&limit=100",
      "/v1/invoices?dueFrom=2025-06-01&dueTo=2025-06-30&limit=200",
      "/v1/invoices?status=paid,cancelled&dueFrom=2026-01-01&limit=50",
      `/v1/invoices?customerId=${someCustomer.id}&limit=50`,
      `/v1/invoices?status=open&limit=50&cursor=${cursor}`,
      "/v1/invoices?limit=50",
    ];
    const listUrl = { url: base, method: "GET", headers: { authorization: `Bearer ${listKey}` }, paths };
    checkClean("list warm-up", await load({ ...listUrl, connections: 4, duration: 3 }));
    const list = await load({ ...listUrl, connections: 4, duration: 12 });
    checkClean("list", list);

    const figures: BenchFigure[] = [
      {
        name: "POST /v1/invoices sustained, boleto+Pix tenant, PostgreSQL",
        value: saturated.requestsPerSecond,
        unit: "req/s",
        floor: 1000,
        better: "higher",
        note: `24 connections, 12 s, ${saturated.total.toLocaleString("en")} invoices, p99 ${saturated.p99} ms at saturation`,
      },
      {
        name: "POST /v1/invoices p99 at 1,000 req/s, boleto+Pix tenant",
        value: steady.p99,
        unit: "ms",
        floor: 50,
        better: "lower",
        note: `${steady.requestsPerSecond.toFixed(0)} req/s achieved, p50 ${steady.p50} ms, max ${steady.max} ms`,
      },
      {
        name: "POST /v1/invoices sustained, Pix-only tenant (no boleto)",
        value: pixSaturated.requestsPerSecond,
        unit: "req/s",
        floor: 1000,
        better: "higher",
        note: `24 connections, 12 s, p99 ${pixSaturated.p99} ms at saturation`,
      },
      {
        name: "POST /v1/invoices p99 at 1,000 req/s, Pix-only tenant",
        value: pixSteady.p99,
        unit: "ms",
        floor: 50,
        better: "lower",
        note: `${pixSteady.requestsPerSecond.toFixed(0)} req/s achieved, p50 ${pixSteady.p50} ms`,
      },
      {
        name: "GET /v1/invoices with filters p99, 1,000,000 invoices",
        value: list.p99,
        unit: "ms",
        floor: 30,
        better: "lower",
        note: `8 filter mixes, 4 connections, ${list.requestsPerSecond.toFixed(0)} req/s, p50 ${list.p50} ms; data built in ${buildSeconds.toFixed(0)} s`,
      },
    ];
    return figures;
  } finally {
    await app.close();
    await handle.close();
    await withServer((client) => client.query(`drop database if exists ${DATABASE} with (force)`));
  }
};

export default benchmark;
