import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/connect.ts";
import { migrate } from "../../src/db/migrate.ts";
import { REPORT_NAMES } from "../../src/modules/reports/report.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { mintLinkPath, portalWorld, Visitor } from "../portal/portal-support.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { apiKeyFor, type Caller, client, startServer, type TestServer } from "../support/http.ts";
import { type ReplicaPair, replicaUnavailableReason, startReplicaPair } from "../support/replica.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { onPostgres, openTestDatabase, pgliteTemplateFile } from "../support/test-database.ts";

/**
 * DATABASE_REPLICA_URL against a real streaming replica: the panel, lists and reports read the
 * replica (seen by pausing its replay), the customer page reads the primary (a write shows at
 * once), the lag is reported, and a stopped replica leaves reads answering from the primary.
 */
const clock = new FixedClock(new Date("2026-11-10T12:00:00Z"));
// replay and the fallback go through another process and the network: seconds, not the default 1 s
const WAIT = { timeout: 30_000, interval: 200 };

/** The routes whose reads go to the replica (exports and the portal's home are read-only by review). */
const REPLICA_READS = [
  "/v1/dashboard/panel",
  "/v1/dashboard/panel.pdf",
  "/v1/customers",
  "/v1/invoices",
  "/v1/work-queue",
  "/v1/customer-overview",
  "/v1/groups/removals-due?format=csv",
  ...REPORT_NAMES.flatMap((name) => [`/v1/reports/${name}`, `/v1/reports/${name}?format=xlsx`]),
];

const unavailable = replicaUnavailableReason();
if (unavailable) console.info(`read-replica tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)("reads on a streaming replica (PostgreSQL)", () => {
  let pair: ReplicaPair;
  let handle: DatabaseHandle;
  let server: TestServer;
  let call: ReturnType<typeof client>;
  let key: Caller;

  beforeAll(async () => {
    pair = await startReplicaPair();
    handle = await openDatabase({ url: pair.primaryUrl, replicaUrl: pair.replicaUrl, maxConnections: 4 });
    await migrate(handle);
    server = await startServer(handle, clock);
    call = client(server);
    const tenant = await apiTenant(handle);
    key = { key: (await apiKeyFor(handle, tenant.id, "write")).key };
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await pair?.close();
  }, 60_000);

  const createCustomer = async (externalId: string) => {
    const created = await call(key, "POST", "/v1/customers", {
      body: {
        externalId,
        name: `Cliente ${externalId}`,
        document: cpf(),
        contacts: [{ channel: "email", value: `${externalId}@exemplo.com.br` }],
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const listed = async () => {
    const list = await call(key, "GET", "/v1/customers");
    expect(list.status).toBe(200);
    return (list.body.data as { externalId: string }[]).map((customer) => customer.externalId);
  };
  const panelLag = async () => {
    const panel = await call(key, "GET", "/v1/dashboard/panel");
    expect(panel.status).toBe(200);
    return panel.body.replicaLagSeconds as number | null;
  };

  it("reads the list from the replica and the customer page from the primary, with the lag shown", async () => {
    await createCustomer("antes");
    await expect.poll(listed, WAIT).toContain("antes");
    await expect.poll(panelLag, WAIT).toBe(0);

    await pair.onReplica("select pg_wal_replay_pause()");
    await expect
      .poll(
        async () => (await pair.onReplica("select pg_get_wal_replay_pause_state() as state")).rows[0].state,
        WAIT,
      )
      .toBe("paused");
    const id = await createCustomer("depois");

    // read-your-own-write: the customer page is the primary's, at once
    const page = await call(key, "GET", `/v1/customers/${id}`);
    expect(page.status).toBe(200);
    expect(page.body.externalId).toBe("depois");
    // the list is the replica's, whose replay is paused: not there yet, and the panel says how old
    expect(await listed()).toEqual(["antes"]);
    await expect.poll(panelLag, WAIT).toBeGreaterThan(0);
    const report = await call(key, "GET", "/v1/reports/summary");
    expect(report.status).toBe(200);
    expect(report.body.replicaLagSeconds).toBeGreaterThan(0);

    // every replica-bound read answers from a read-only standby: none of them writes on the way
    for (const path of REPLICA_READS) {
      const read = await call(key, "GET", path);
      expect(read.status, `${path}: ${read.text.slice(0, 200)}`).toBe(200);
    }

    await pair.onReplica("select pg_wal_replay_resume()");
    await expect.poll(listed, WAIT).toEqual(["antes", "depois"]);
    await expect.poll(panelLag, WAIT).toBe(0);
  });

  it("shows the portal's home from the replica, while entering the portal reads the primary", async () => {
    const world = await portalWorld(handle, server);
    const invoicesOnReplica = async () =>
      (
        await pair.onReplica(
          `select count(*)::int as n from invoices where customer_id = '${world.customerId}'`,
        )
      ).rows[0].n;
    await expect.poll(invoicesOnReplica, WAIT).toBe(2);

    await pair.onReplica("select pg_wal_replay_pause()");
    await expect
      .poll(
        async () => (await pair.onReplica("select pg_get_wal_replay_pause_state() as state")).rows[0].state,
        WAIT,
      )
      .toBe("paused");
    await world.invoice("NF-2001", "2026-11-01", 50_00, world.customerId);
    // the link, the identity check and the session are the primary's: entering works at once
    const visitor = new Visitor(server);
    const entered = await visitor.enter(await mintLinkPath(world.call, world.key, world.customerId), "52998");
    expect(entered.status).toBe(303);
    const home = await visitor.get("/portal");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Mensalidade NF-1001");
    expect(home.text).not.toContain("Mensalidade NF-2001");

    await pair.onReplica("select pg_wal_replay_resume()");
    await expect.poll(async () => (await visitor.get("/portal")).text, WAIT).toContain("Mensalidade NF-2001");
  });

  it("runs a read again on the primary when its replica connection dies mid-statement", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(pair.replicaUrl).port) });
    const proxied = new URL(pair.replicaUrl);
    proxied.port = String(proxy.port);
    const viaProxy = await openDatabase({
      url: pair.primaryUrl,
      replicaUrl: proxied.toString(),
      maxConnections: 2,
    });
    try {
      // sleeps only where it runs on the standby: the answer says which server gave it
      const running = sql<{ standby: boolean }>`
        select pg_is_in_recovery() as standby,
          case when pg_is_in_recovery() then pg_sleep(60) end as slept`.execute(viaProxy.reads.db);
      const sleeping = async () =>
        (
          await pair.onReplica(
            "select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(60)%' and pid <> pg_backend_pid()",
          )
        ).rows[0].n;
      await expect.poll(sleeping, WAIT).toBe(1);
      await proxy.refuse(0);
      const { rows } = await running;
      expect(rows[0]?.standby).toBe(false);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it("answers reads from the primary when the replica is stopped", async () => {
    await pair.stopReplica();
    expect(await listed()).toEqual(["antes", "depois"]);
    // the panel's figures came from the primary: no lag to show
    expect(await panelLag()).toBeNull();
    const invoices = await call(key, "GET", "/v1/invoices");
    expect(invoices.status).toBe(200);
    const report = await call(key, "GET", "/v1/reports/summary?format=csv");
    expect(report.status).toBe(200);
  });
});

describe("without a replica", () => {
  it("reads from the primary itself, and reports no lag", async () => {
    const handle = await openTestDatabase();
    try {
      expect(handle.reads.db).toBe(handle.db);
      expect(handle.reads.replica).toBe(false);
      expect(await handle.reads.lagSeconds()).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it.skipIf(onPostgres)("ignores DATABASE_REPLICA_URL on the embedded database", async () => {
    const handle = await openDatabase({
      loadDataDir: new Blob([readFileSync(pgliteTemplateFile())]),
      replicaUrl: "postgres://postgres@127.0.0.1:1/ninguem",
    });
    try {
      expect(handle.reads.db).toBe(handle.db);
    } finally {
      await handle.close();
    }
  });
});
