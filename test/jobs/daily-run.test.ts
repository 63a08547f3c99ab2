import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runDueTenants } from "../../src/jobs/daily-run.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { openTestDatabase } from "../support/test-database.ts";

describe("the daily run (hourly trigger)", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  it("plans a São Paulo tenant's day once its local clock reaches 06:00, and only once", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const customer = await addCustomer(handle.db, tenant);
    await addInvoice(handle.db, tenant, customer, "2026-11-28"); // D-5 on Monday 2026-11-23

    const beforeSix = await runDueTenants(handle.db, new Date("2026-11-23T08:30:00Z")); // 05:30 in SP
    expect(beforeSix.filter((run) => run.tenantSlug === tenant.slug)).toEqual([]);

    const afterSix = await runDueTenants(handle.db, new Date("2026-11-23T09:05:00Z")); // 06:05 in SP
    const ours = afterSix.filter((run) => run.tenantSlug === tenant.slug);
    expect(ours.map((run) => run.date)).toEqual(["2026-11-23"]);

    const planned = await handle.db
      .selectFrom("dunning_actions")
      .select(["channel", "template", "planned_on"])
      .where("tenant_id", "=", tenant.id)
      .execute();
    expect(planned).toEqual([{ channel: "email", template: "email.d-5", planned_on: "2026-11-23" }]);

    const later = await runDueTenants(handle.db, new Date("2026-11-23T15:00:00Z"));
    expect(later.filter((run) => run.tenantSlug === tenant.slug)).toEqual([]);
  });
});
