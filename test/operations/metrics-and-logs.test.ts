import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runTenantDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { importRows } from "../../src/modules/imports/import.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

/**
 * What an operator's Prometheus sees at /metrics after a day of the régua, and what the JSON log
 * says (and does not say) about requests.
 */

const clock = new FixedClock(new Date("2026-11-23T13:00:00Z")); // Monday, 10:00 in São Paulo
let handle: DatabaseHandle;
let server: TestServer;
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  tenant = await tenantWithDefaultRegua(handle.db);
});
afterAll(async () => {
  await server?.close();
  await handle?.close();
});

/** Prometheus's text format as samples: `name{label="v",…}` → value. */
async function scrape(headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

const sample = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;

describe("/metrics after a day of the régua", () => {
  it("counts the run, its steps, the queue it left and the messages sent, as they happened", async () => {
    for (let index = 0; index < 3; index++) {
      const customer = await addCustomer(handle.db, tenant, { sms: false });
      await addInvoice(handle.db, tenant, customer, "2026-11-22"); // D+1 of the default régua
    }
    const before = await scrape();

    await runTenantDay(handle.db, tenant, "2026-11-23", clock.now());
    const queued = await new Dispatcher(handle.db, { clock, tenantId: tenant.id })
      .dispatchBatch()
      .catch(() => null);
    expect(queued).not.toBeNull();

    const after = await scrape();
    const slug = tenant.slug;
    expect(sample(after, `regua_daily_runs_total{tenant="${slug}",status="done"}`)).toBe(
      sample(before, `regua_daily_runs_total{tenant="${slug}",status="done"}`) + 1,
    );
    for (const step of ["agreements", "catch_up", "planner", "overdue_events", "standing"]) {
      expect(
        sample(after, `regua_daily_run_step_duration_seconds_count{tenant="${slug}",step="${step}"}`),
      ).toBe(
        sample(before, `regua_daily_run_step_duration_seconds_count{tenant="${slug}",step="${step}"}`) + 1,
      );
    }
    expect(sample(after, `regua_daily_run_last_success_timestamp_seconds{tenant="${slug}"}`)).toBeGreaterThan(
      Date.now() / 1000 - 600,
    );

    // what the counters say was sent is what the messages table says
    const sentEmails = await handle.db
      .selectFrom("messages")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("tenant_id", "=", tenant.id)
      .where("channel", "=", "email")
      .where("state", "=", "sent")
      .executeTakeFirstOrThrow();
    expect(Number(sentEmails.count)).toBe(3);
    const sentSamples = [...after.entries()].filter(
      ([key]) => key.startsWith('regua_messages_total{channel="email"') && key.includes('outcome="sent"'),
    );
    const sentDelta =
      sentSamples.reduce((sum, [, value]) => sum + value, 0) -
      [...before.entries()]
        .filter(
          ([key]) => key.startsWith('regua_messages_total{channel="email"') && key.includes('outcome="sent"'),
        )
        .reduce((sum, [, value]) => sum + value, 0);
    expect(sentDelta).toBe(3);
  });

  it("shows the queue's depth and the age of its oldest due message, by channel, from the database", async () => {
    const customer = await addCustomer(handle.db, tenant, { sms: false });
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-11-01");
    const action = await handle.db
      .insertInto("dunning_actions")
      .values({
        tenant_id: tenant.id,
        invoice_id: invoice,
        customer_id: customer.id,
        policy_id: (
          await handle.db
            .selectFrom("policies")
            .select("id")
            .where("tenant_id", "=", tenant.id)
            .executeTakeFirstOrThrow()
        ).id,
        step_id: "00000000-0000-4000-8000-00000000aaaa",
        step_name: "manual",
        offset_days: 0,
        channel: "email",
        template: "email.d+1",
        group_key: `metrics-${customer.id}`,
        status: "planned",
        planned_on: "2026-11-23",
        send_on: "2026-11-23",
        scheduled_for: new Date("2026-11-23T11:00:00Z"),
        send_until: new Date("2026-11-23T23:00:00Z"),
        amount_cents: 15_000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto("messages")
      .values({
        tenant_id: tenant.id,
        action_id: action.id,
        group_key: `metrics-${customer.id}`,
        customer_id: customer.id,
        channel: "email",
        template: "email.d+1",
        state: "queued",
        next_attempt_at: new Date("2026-11-23T12:00:00Z"), // due an hour before the clock's 13:00
      })
      .execute();
    const queuedNow = await handle.db
      .selectFrom("messages")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("state", "in", ["queued", "sending"])
      .where("channel", "=", "email")
      .executeTakeFirstOrThrow();
    const samples = await scrape();
    expect(sample(samples, 'regua_queue_depth{channel="email"}')).toBe(Number(queuedNow.count));
    expect(sample(samples, 'regua_queue_oldest_age_seconds{channel="email"}')).toBeGreaterThanOrEqual(3600);
    // this process's PostgreSQL pool (the embedded database has none)
    if (onPostgres)
      expect(sample(samples, 'regua_db_pool_connections{database="postgres",state="max"}')).toBeGreaterThan(
        0,
      );
  });

  it("times HTTP requests by the route's pattern and counts imported rows", async () => {
    const before = await scrape();
    await fetch(`${server.url}/l/CODIGO-QUALQUER`);
    await fetch(`${server.url}/l/OUTRO-CODIGO`);
    const report = await importRows(
      handle.db,
      tenant,
      "customers",
      [
        { external_id: "m1", name: "Ana Souza", document: "529.982.247-25" },
        { external_id: "m2", name: "Bia Lima", document: "não é documento" },
      ],
      { today: "2026-11-23" },
    );
    expect(report).toMatchObject({ inserted: 1, failed: 1 });
    const after = await scrape();
    const linkKeys = [...after.keys()].filter(
      (key) =>
        key.startsWith("regua_http_request_duration_seconds_count{") && key.includes('route="/l/:code"'),
    );
    expect(linkKeys.length).toBeGreaterThan(0);
    const linkCount = (samples: Map<string, number>) =>
      linkKeys.reduce((sum, key) => sum + sample(samples, key), 0);
    expect(linkCount(after) - linkCount(before)).toBe(2);
    // the path itself (a short-link code) never becomes a label
    expect([...after.keys()].some((key) => key.includes("CODIGO"))).toBe(false);
    for (const result of ["imported", "rejected"]) {
      const key = `regua_import_rows_total{kind="customers",result="${result}"}`;
      expect(sample(after, key) - sample(before, key)).toBe(1);
    }
  });

  it("answers a scrape without REGUA_METRICS_TOKEN's bearer with 403 once the token is set", async () => {
    process.env.REGUA_METRICS_TOKEN = "token-de-teste-123";
    try {
      const refused = await fetch(`${server.url}/metrics`);
      expect(refused.status).toBe(403);
      const answer = (await refused.json()) as { error: { message: string } };
      expect(answer.error.message).toMatch(/REGUA_METRICS_TOKEN/);
      expect(
        (await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer errado" } })).status,
      ).toBe(403);
      await scrape({ authorization: "Bearer token-de-teste-123" });
    } finally {
      delete process.env.REGUA_METRICS_TOKEN;
    }
  });
});

// the log of `npm start` is about the process, not the database: PGlite's pass covers it
describe.skipIf(onPostgres)("the JSON log of npm start", () => {
  it("writes one JSON line per request with its id and route pattern, never the path's token", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "regua-log-"));
    const child = spawn(process.execPath, ["src/main.ts", "--no-demo", "--no-worker"], {
      env: { ...process.env, PORT: "0", REGUA_DATA_DIR: dataDir, DATABASE_URL: "", REGUA_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = stdout.match(/Régua no ar em (http:\/\/\S+)/);
          if (match) resolve(match[1]!);
        });
        child.on("exit", (code) => reject(new Error(`exited with ${code}: ${stdout}${stderr}`)));
      });
      const link = await fetch(`${base}/l/SEGREDO-DO-CLIENTE`, { headers: { "x-request-id": "pedido-42" } });
      await link.text();
      await expect.poll(() => stderr.includes('"reqId":"pedido-42"'), { timeout: 15_000 }).toBe(true);
      const lines = stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line): Record<string, unknown> => JSON.parse(line));
      expect(lines.find((line) => line.reqId === "pedido-42")).toMatchObject({
        level: expect.stringMatching(/info|warn/),
        service: "regua",
        method: "GET",
        route: "/l/:code",
        status: link.status,
        msg: "request",
      });
      expect(stderr).not.toContain("SEGREDO-DO-CLIENTE");
    } finally {
      child.kill("SIGTERM");
    }
    // a start may build the dashboard first (web/dist stale): minutes on a busy machine
  }, 240_000);
});
