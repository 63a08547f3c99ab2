import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { purgeExpiredKeys } from "../../src/http/idempotency.ts";
import { startWorker, type Worker } from "../../src/jobs/worker.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let worker: Worker | undefined;
const now = new Date("2026-11-23T13:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await worker?.stop();
  await handle?.close();
});

async function keysOf(tenantId: string): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("idempotency_keys")
    .select("key")
    .where("tenant_id", "=", tenantId)
    .orderBy("key")
    .execute();
  return rows.map((row) => row.key);
}

async function insertKeys(tenantId: string): Promise<void> {
  await handle.db
    .insertInto("idempotency_keys")
    .values(
      [
        { key: "fresh", at: hoursAgo(1) },
        { key: "almost-a-day", at: hoursAgo(23.9) },
        { key: "a-day-and-more", at: hoursAgo(24.1) },
        { key: "last-week", at: hoursAgo(24 * 7) },
      ].map(({ key, at }) => ({
        tenant_id: tenantId,
        key,
        request_hash: "h",
        status_code: 201,
        response_body: "{}",
        created_at: at,
        completed_at: at,
      })),
    )
    .execute();
}

describe("idempotency keys older than 24 h", () => {
  it("are deleted in one statement; younger ones stay", async () => {
    const tenant = await insertTestTenant(handle.db);
    await insertKeys(tenant.id);
    expect(await purgeExpiredKeys(handle.db, now)).toBe(2);
    expect(await keysOf(tenant.id)).toEqual(["almost-a-day", "fresh"]);
    expect(await purgeExpiredKeys(handle.db, now)).toBe(0);
  });

  it("are purged by the worker once it starts (and hourly after)", { timeout: 60_000 }, async () => {
    const tenant = await insertTestTenant(handle.db);
    await insertKeys(tenant.id);
    worker = await startWorker(handle, { clock: new FixedClock(now) });
    const deadline = Date.now() + 45_000;
    while ((await keysOf(tenant.id)).length > 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await keysOf(tenant.id)).toEqual(["almost-a-day", "fresh"]);
  });
});
