import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { formatDayOf } from "../../web/src/app/format.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { mintLinkPath, portalWorld, Visitor } from "./portal-support.ts";

/**
 * 22:30 in São Paulo on Monday 2026-11-23 is already Tuesday in UTC: what happens now is shown as
 * the 23rd, the creditor's day, on the portal and in the dashboard.
 */
const clock = new FixedClock("2026-11-23T22:30:00-03:00");
let handle: DatabaseHandle;
let server: TestServer;
let world: Awaited<ReturnType<typeof portalWorld>>;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  world = await portalWorld(handle, server);
});
afterAll(async () => {
  await server?.close();
  await handle?.close();
});

describe("dates shown to people are the tenant's, at 22:30 in São Paulo", () => {
  it("an agreement made now is listed on the portal as of 23/11/2026", async () => {
    const proposed = await world.call(world.key, "POST", "/v1/agreements", {
      body: { customerId: world.customerId, invoiceIds: [world.overdue], installments: 0 },
    });
    expect(proposed.status, proposed.text).toBe(201);
    const visitor = new Visitor(server);
    await visitor.enter(await mintLinkPath(world.call, world.key, world.customerId), "52998");
    const home = await visitor.get("/portal");
    expect(home.status).toBe(200);
    // "Meus acordos": the agreement's day (its single installment is due tomorrow, the 24th)
    const listed = /<h2>Meus acordos<\/h2>.*?<\/ul>/s.exec(home.text)?.[0] ?? "";
    expect(listed).toContain("Acordo de 23/11/2026");
    expect(listed).not.toContain("24/11/2026");
  });

  it("a contact opted out now shows 23/11/2026 on the customer view", async () => {
    const customer = await world.call(world.key, "GET", `/v1/customers/${world.customerId}`);
    const email = (customer.body.contacts as { id: string; channel: string }[]).find(
      (contact) => contact.channel === "email",
    )!;
    const optedOut = await world.call(
      world.key,
      "POST",
      `/v1/customers/${world.customerId}/contacts/${email.id}/opt-out`,
      { body: {} },
    );
    expect(optedOut.status, optedOut.text).toBe(200);
    const overview = await world.call(world.key, "GET", `/v1/customers/${world.customerId}/overview`);
    expect(overview.body.timeZone).toBe("America/Sao_Paulo");
    const contact = (overview.body.customer.contacts as { id: string; optedOutAt: string }[]).find(
      (candidate) => candidate.id === email.id,
    )!;
    expect(contact.optedOutAt).toBe("2026-11-24T01:30:00.000Z");
    expect(formatDayOf(contact.optedOutAt, overview.body.timeZone)).toBe("23/11/2026");
  });
});
