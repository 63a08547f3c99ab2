import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../src/db/connect.ts";
import { insertDomainEvents } from "../../../src/modules/webhooks/webhook.repository.ts";
import { insertTestTenant } from "../../support/fixtures.ts";
import { openTestDatabase } from "../../support/test-database.ts";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

// What a webhook receiver may be sent: text with line breaks, quotes, backslashes, the line
// separators JSON keeps raw (U+2028, U+2029), accents and emoji, nested arrays, nulls.
const awkward = [
  { note: "linha 1\nlinha 2\r\nlinha 3\rfim" },
  { note: 'aspas " e barra \\ e tab\t' },
  { note: "separadores \u2028 e \u2029 crus" },
  { note: "Não pagou — 🙂", nested: [[1, 2], { deep: [null, true, 0.5] }] },
  null,
  "só texto\n",
  [],
];

describe("the outbox", () => {
  it("keeps every event's payload as written and its order, across chunks", async () => {
    const tenant = await insertTestTenant(handle.db);
    const at = new Date("2026-12-07T12:00:00.123Z");
    const events = Array.from({ length: 5_003 }, (_, index) => ({
      tenantId: tenant.id,
      type: index % 2 === 0 ? "invoice.paid" : "customer.standing_changed",
      customerId: null,
      payload: { index, value: awkward[index % awkward.length] },
      occurredAt: new Date(at.getTime() + index),
    }));
    await insertDomainEvents(handle.db, events);
    const rows = await sql<{ type: string; payload: unknown; occurred_at: Date; customer_id: string | null }>`
      select type, payload, occurred_at, customer_id from domain_events
      where tenant_id = ${tenant.id} order by seq`.execute(handle.db);
    expect(rows.rows).toHaveLength(events.length);
    rows.rows.forEach((row, index) => {
      const event = events[index]!;
      expect(row.type).toBe(event.type);
      expect(row.customer_id).toBeNull();
      expect(row.payload).toEqual(event.payload);
      expect(row.occurred_at.getTime()).toBe(event.occurredAt.getTime());
    });
  });
});
