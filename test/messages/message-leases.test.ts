import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import {
  claimMessages,
  queueDueActions,
  renewLeases,
} from "../../src/modules/messages/message.repository.ts";
import { HeldClaims } from "../../src/modules/messages/message-leases.ts";
import { undecided } from "../../src/modules/messages/prepared-message.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertEmailBacklog } from "../support/message-fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * A worker whose heartbeat could not renew its lease (its database out of reach for a while, or the
 * process too busy to beat) must not go on as if it still held its messages: another worker takes
 * them over once the lease runs out. The old holder stops sending before that can happen, renews
 * nothing it lost, and records nothing over the new holder, whose outcome is the one that stays.
 */
const LEASE_MS = 3000;
const start = new Date("2026-11-23T13:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe("a claim taken over after its lease ran out", () => {
  it("is neither sent, renewed nor recorded by the worker that lost it", async () => {
    const tenant = await insertTestTenant(handle.db);
    await insertEmailBacklog(handle.db, tenant.id, 3, at(-60_000), at(3_600_000));
    await queueDueActions(handle.db, start, 10, tenant.id);
    const first = await claimMessages(handle.db, start, 10, LEASE_MS, tenant.id);
    expect(first).toHaveLength(3);
    const oldHolder = new HeldClaims(handle.db, new FixedClock(start), LEASE_MS);
    oldHolder.hold(first, start);
    const [message] = first;

    // a fresh claim may be sent; once two heartbeats are missed (a third of the lease left) it may not
    expect(oldHolder.mayStillSend(tenant.id, message!.id, at(LEASE_MS / 3))).toBe(true);
    expect(oldHolder.mayStillSend(tenant.id, message!.id, at((LEASE_MS * 2) / 3 + 1))).toBe(false);

    // the lease runs out and another worker claims the same messages
    const second = await claimMessages(handle.db, at(LEASE_MS + 1), 10, LEASE_MS, tenant.id);
    expect(second.map((row) => row.id).sort()).toEqual(first.map((row) => row.id).sort());
    const newHolder = new HeldClaims(handle.db, new FixedClock(at(LEASE_MS + 1)), LEASE_MS);
    newHolder.hold(second, at(LEASE_MS + 1));

    // the old holder's renewal finds nothing of its own: the new lease stays where it was
    const leaseOf = async () =>
      await handle.db
        .selectFrom("messages")
        .select(["state", "attempts", "next_attempt_at"])
        .where("tenant_id", "=", tenant.id)
        .where("id", "=", message!.id)
        .executeTakeFirstOrThrow();
    const before = await leaseOf();
    expect(
      await renewLeases(handle.db, tenant.id, [{ id: message!.id, claim: 1 }], at(LEASE_MS + 2), 60_000),
    ).toEqual([]);
    expect((await leaseOf()).next_attempt_at).toEqual(before.next_attempt_at);
    // and its heartbeat lets go of what it lost
    oldHolder.start();
    await expect.poll(() => oldHolder.size, { timeout: 5000 }).toBe(0);
    await oldHolder.stop();

    // a late outcome of the old claim is not written over the new holder's claim …
    const stale = undecided(tenant.id, first[0]!).outcome;
    stale.state = "queued";
    stale.nextAttemptAt = at(LEASE_MS + 2);
    await oldHolder.record([stale], at(LEASE_MS + 2));
    expect(await leaseOf()).toMatchObject({ state: "sending", attempts: 2 });
    // … and the new holder's is
    const current = undecided(tenant.id, second.find((row) => row.id === message!.id)!).outcome;
    current.state = "sent";
    await newHolder.record([current], at(LEASE_MS + 3));
    expect(await leaseOf()).toMatchObject({ state: "sent", attempts: 2 });
  });
});
