import net from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/connect.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

const clock = new FixedClock("2026-11-23T13:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
});
afterAll(async () => {
  await server?.close();
  await handle?.close();
});

describe("health: live and ready", () => {
  it("is live and ready on a migrated database; /health is the readiness answer", async () => {
    const live = await fetch(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: "live" });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: handle.kind });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: handle.kind });
  });

  it("is not ready while a migration this code knows is not applied, and still live", async () => {
    const last = (
      await sql<{ version: number; name: string }>`
        select version, name from schema_migrations order by version desc limit 1`.execute(handle.db)
    ).rows[0]!;
    await sql`delete from schema_migrations where version = ${last.version}`.execute(handle.db);
    try {
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).toBe("5");
      const body = (await ready.json()) as { status: string; reason: string };
      expect(body.status).toBe("unavailable");
      expect(body.reason).toBe(`migrações pendentes: ${String(last.version).padStart(4, "0")}_${last.name}`);
      expect((await fetch(`${server.url}/health`)).status).toBe(503);
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    } finally {
      await sql`insert into schema_migrations (version, name) values (${last.version}, ${last.name})`.execute(
        handle.db,
      );
    }
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });
});

// A server whose PostgreSQL refuses connections; the embedded PGlite lives inside the process.
describe.skipIf(!onPostgres)(
  "a database out of reach (PostgreSQL only: PGlite cannot be unreachable)",
  () => {
    it("answers 503 database_unavailable with Retry-After, in pt-BR, and stays live", async () => {
      // a port that was just free: nothing listens there, every connection is refused
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const unreachable = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/regua` });
      const offline = await startServer(unreachable, clock);
      try {
        const api = await fetch(`${offline.url}/v1/customers`, {
          headers: { authorization: "Bearer rg_0123456789ab_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" },
        });
        expect(api.status).toBe(503);
        expect(api.headers.get("retry-after")).toBe("5");
        expect(await api.json()).toEqual({
          error: {
            code: "database_unavailable",
            message: "Banco de dados indisponível no momento; tente de novo em 5 segundos",
            field: null,
          },
        });
        const ready = await fetch(`${offline.url}/health/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          status: "unavailable",
          reason: "banco de dados inacessível",
        });
        expect((await fetch(`${offline.url}/health/live`)).status).toBe(200);
      } finally {
        await offline.close();
        await unreachable.close();
      }
    });
  },
);
