import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { pauseCollection } from "../../src/modules/dashboard/interaction.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";
import {
  actionsOf,
  addCustomer,
  addInvoice,
  runDays,
  standingOf,
  tenantWithDefaultRegua,
} from "./regua-support.ts";

/**
 * An operator pauses collection from the customer view. Invoice due Monday 2026-05-04 under the
 * default régua; paused on 05-06 until 05-18 ("negociando por telefone").
 */
let handle: DatabaseHandle;
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
});
afterAll(async () => {
  await handle.close();
});

it("D-5 to D0 as usual; paused: D+6 and D+12 skipped, standing holds; after the pause the régua resumes", async () => {
  const customer = await addCustomer(handle.db, tenant);
  const invoice = await addInvoice(handle.db, tenant, customer, "2026-05-04");
  await runDays(handle.db, tenant, "2026-04-29", "2026-05-05");
  const beforePause = await actionsOf(handle.db, tenant, invoice);
  expect(beforePause.map((action) => action.step)).toEqual(["D-5", "D-1", "D0"]);
  const stillPlanned = beforePause.filter((action) => action.status === "planned").length;
  expect(stillPlanned).toBeGreaterThan(0);

  const pause = await pauseCollection(
    handle.db,
    tenant,
    customer.id,
    { until: "2026-05-18", reason: "negociando por telefone" },
    new FixedClock("2026-05-06T13:00:00Z"),
  );
  // nothing of the past days had gone out yet (no dispatch in this scenario): none will now
  expect(pause.skippedActions).toBe(stillPlanned);
  expect(
    (await actionsOf(handle.db, tenant, invoice)).filter((action) => action.status === "planned"),
  ).toEqual([]);

  await runDays(handle.db, tenant, "2026-05-06", "2026-05-18");
  const during = (await actionsOf(handle.db, tenant, invoice)).filter(
    (action) => action.plannedOn >= "2026-05-06",
  );
  expect(during.map((action) => [action.step, action.channel, action.status, action.reason])).toEqual([
    ["D+6", "email", "skipped", "paused"],
    ["D+6", "sms", "skipped", "paused"],
    ["D+12", "email", "skipped", "paused"],
  ]);
  expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");

  await runDays(handle.db, tenant, "2026-05-19", "2026-06-05");
  const after = (await actionsOf(handle.db, tenant, invoice)).filter(
    (action) => action.plannedOn >= "2026-05-19",
  );
  expect(after.map((action) => [action.step, action.channel, action.status])).toEqual([
    ["D+30", "email", "planned"],
    ["D+30", "task", "planned"],
  ]);
  expect(await standingOf(handle.db, tenant, customer.id)).not.toBe("ok");
});

it("refuses a pause that ends before today, naming the field", async () => {
  const customer = await addCustomer(handle.db, tenant);
  await expect(
    pauseCollection(
      handle.db,
      tenant,
      customer.id,
      { until: "2026-05-05", reason: "x" },
      new FixedClock("2026-05-06T13:00:00Z"),
    ),
  ).rejects.toMatchObject({ code: "validation_failed", field: "until" });
});
