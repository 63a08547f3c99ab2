import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { RateBuckets } from "../../src/db/rate-buckets.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

// Two RateBuckets on one database stand for two processes: each keeps its own leased tokens in
// memory, and only the database is shared between them.
let handle: DatabaseHandle;
let tenantId: string;
let otherTenantId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenantId = (await insertTestTenant(handle.db)).id;
  otherTenantId = (await insertTestTenant(handle.db)).id;
});
afterAll(async () => {
  await handle?.close();
});

describe("rate buckets shared by processes", () => {
  it("spends one burst across two processes, then refuses with the time to wait", async () => {
    const first = new RateBuckets(handle.db);
    const second = new RateBuckets(handle.db);
    const limit = { capacity: 5, perSecond: 0.01 };
    const decisions = [];
    for (let index = 0; index < 4; index++) {
      decisions.push(await first.tryTake(tenantId, "api_key:k1", limit));
      decisions.push(await second.tryTake(tenantId, "api_key:k1", limit));
    }
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    // one token at 0.01 per second is 100 s away
    expect(decisions[7]!.retryAfter).toBeGreaterThan(90);
    expect(decisions[7]!.remaining).toBe(0);
    // another key, and the same key in another tenant, have buckets of their own
    expect((await first.tryTake(tenantId, "api_key:k2", limit)).allowed).toBe(true);
    expect((await second.tryTake(otherTenantId, "api_key:k1", limit)).allowed).toBe(true);
  });

  it("paces waiting sends from two processes to the one rate", async () => {
    const first = new RateBuckets(handle.db);
    const second = new RateBuckets(handle.db);
    const limit = { capacity: 10, perSecond: 10 };
    const started = performance.now();
    const done: number[] = [];
    const line = (buckets: RateBuckets) =>
      Array.from({ length: 15 }, () =>
        buckets.waitFor(tenantId, "send:sms", limit).then(() => done.push(performance.now() - started)),
      );
    await Promise.all([...line(first), ...line(second)]);
    expect(done).toHaveLength(30);
    // 10 at once, then 20 more at 10 per second: at least 2 s in all. Had each process kept its own
    // bucket, each would have sent its 15 in half a second.
    expect(Math.max(...done)).toBeGreaterThanOrEqual(1_800);
  });

  it("a large line of sends takes its tokens in one lease, not one query each", async () => {
    const buckets = new RateBuckets(handle.db);
    const limit = { capacity: 1_000_000, perSecond: 1_000_000 };
    await Promise.all(Array.from({ length: 5_000 }, () => buckets.waitFor(tenantId, "send:email", limit)));
    const [row] = await handle.db
      .selectFrom("rate_buckets")
      .select(["tokens"])
      .where("tenant_id", "=", tenantId)
      .where("key", "=", "send:email")
      .execute();
    // one lease for the whole line; leases of 100 would have left the bucket all but full
    expect(row!.tokens).toBe(995_000);
  });
});
