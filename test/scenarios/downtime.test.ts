import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runTenantDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { actionsOf, addCustomer, addInvoice, tenantWithDefaultRegua } from "./regua-support.ts";

/**
 * The worker is down for a while: what the régua had planned goes out in the next contact window
 * (inside the catch-up period), and a reminder whose moment passed stays skipped with its reason.
 * Debtors in São Paulo: weekdays 08–20h, Saturdays 08–14h.
 */
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

const at = (instant: string) => new Date(instant);

async function runAndDispatch(tenant: Tenant, date: string, instant: string) {
  await runTenantDay(handle.db, tenant, date, at(instant));
  await dispatchDue(handle.db, { clock: new FixedClock(instant), tenantId: tenant.id });
}

/** One debtor per invoice, so that no frequency cap mixes the cases. */
async function debtorWithInvoiceDue(tenant: Tenant, due: string): Promise<string> {
  return addInvoice(handle.db, tenant, await addCustomer(handle.db, tenant), due);
}

const brief = async (tenant: Tenant, invoiceId: string) =>
  (await actionsOf(handle.db, tenant, invoiceId)).map(
    (action) =>
      `${action.step} ${action.channel} ${action.status} ${action.sendOn}${action.reason ? ` ${action.reason}` : ""}`,
  );

describe("downtime: missed contact windows are caught up", () => {
  it("down from Thursday 07:00 to Friday 10:00: Thursday's messages go out on Friday; reminders for before the due date stay skipped; older days are not revived", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const reminder = await debtorWithInvoiceDue(tenant, "2026-12-08"); // D-5 on Thursday the 3rd
    const lastCall = await debtorWithInvoiceDue(tenant, "2026-12-04"); // D-1 on Thursday, due Friday
    const overdue = await debtorWithInvoiceDue(tenant, "2026-11-27"); // D+6 on Thursday
    const tooOld = await debtorWithInvoiceDue(tenant, "2026-11-19"); // D+6 on Wednesday the 25th

    await runTenantDay(handle.db, tenant, "2026-11-25", at("2026-11-25T06:05:00-03:00"));
    await runTenantDay(handle.db, tenant, "2026-11-30", at("2026-11-30T06:05:00-03:00"));
    await runTenantDay(handle.db, tenant, "2026-12-03", at("2026-12-03T06:05:00-03:00"));
    expect(await brief(tenant, reminder)).toEqual(["D-5 email planned 2026-12-03"]);
    // Monday's D-5 of the invoice due Friday never went out: Thursday's run moved it to Thursday
    expect(await brief(tenant, lastCall)).toEqual([
      "D-5 email planned 2026-12-03",
      "D-1 sms planned 2026-12-03",
    ]);

    await runAndDispatch(tenant, "2026-12-04", "2026-12-04T10:00:00-03:00");

    expect(await brief(tenant, reminder)).toEqual(["D-5 email sent 2026-12-04"]);
    expect(await brief(tenant, overdue)).toEqual([
      // planned on Wednesday the 25th, more than three days back: closed by the dispatcher, unsent
      "D-5 email skipped 2026-11-25 window_closed",
      "D0 email skipped 2026-11-30 moment_passed", // planned late on Monday: its payable day had passed
      "D+6 email sent 2026-12-04",
      "D+6 sms sent 2026-12-04",
    ]);
    // reminders before the due date make no sense on the due date: skipped with the planner's reason
    expect(await brief(tenant, lastCall)).toEqual([
      "D-5 email skipped 2026-12-04 moment_passed",
      "D-1 sms skipped 2026-12-04 moment_passed",
      "D0 email sent 2026-12-04",
    ]);
    // the Wednesday before is outside the three days of catch-up: it stays where it was, unsent
    const old = (await actionsOf(handle.db, tenant, tooOld)).filter((action) => action.step === "D+6");
    expect(old.map((action) => action.sendOn)).toEqual(["2026-11-25", "2026-11-25"]);
    expect(old.filter((action) => action.status === "sent")).toEqual([]);
  });

  it("a day run after the window closed plans for the next window, not for a window already gone", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const overdue = await debtorWithInvoiceDue(tenant, "2026-11-28"); // D+6 on Friday the 4th
    const lastCall = await debtorWithInvoiceDue(tenant, "2026-12-05"); // D-1 on Friday, due Saturday

    await runAndDispatch(tenant, "2026-12-04", "2026-12-04T21:30:00-03:00"); // SP window ended at 20:00
    expect(await brief(tenant, overdue)).toEqual([
      "D+6 email planned 2026-12-05", // Saturday 08–14h
      "D+6 sms planned 2026-12-05",
    ]);
    expect(await brief(tenant, lastCall)).toEqual(["D-1 sms skipped 2026-12-05 moment_passed"]);

    await dispatchDue(handle.db, { clock: new FixedClock("2026-12-05T09:00:00-03:00"), tenantId: tenant.id });
    expect(await brief(tenant, overdue)).toEqual(["D+6 email sent 2026-12-05", "D+6 sms sent 2026-12-05"]);
  });
});
