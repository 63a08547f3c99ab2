import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { openTestDatabase } from "../support/test-database.ts";
import {
  actionsOf,
  addCustomer,
  addInvoice,
  payInvoice,
  runDays,
  standingOf,
  tenantWithDefaultRegua,
} from "./regua-support.ts";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const sent = (actions: { status: string }[]) => actions.filter((action) => action.status === "planned");

describe("the default régua, day by day", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await tenantWithDefaultRegua(handle.db);
  });

  it("a customer in SP gets the reminder on Saturday inside 08–14h; one in RJ on Monday", async () => {
    // due Thursday 2026-12-17: D-5 falls on Saturday 2026-12-12
    const paulista = await addCustomer(handle.db, tenant, { state: "SP" });
    const carioca = await addCustomer(handle.db, tenant, { state: "RJ" });
    const inSp = await addInvoice(handle.db, tenant, paulista, "2026-12-17");
    const inRj = await addInvoice(handle.db, tenant, carioca, "2026-12-17");
    await runDays(handle.db, tenant, "2026-12-10", "2026-12-14");
    const spReminder = (await actionsOf(handle.db, tenant, inSp)).find((action) => action.step === "D-5")!;
    const rjReminder = (await actionsOf(handle.db, tenant, inRj)).find((action) => action.step === "D-5")!;
    expect(spReminder).toMatchObject({ status: "planned", plannedOn: "2026-12-12", sendOn: "2026-12-12" });
    expect(spReminder.scheduledFor).toBe("2026-12-12T11:00:00.000Z"); // 08:00 in São Paulo
    expect(rjReminder).toMatchObject({ status: "planned", plannedOn: "2026-12-12", sendOn: "2026-12-14" });
    expect(rjReminder.scheduledFor).toBe("2026-12-14T12:00:00.000Z"); // Monday 09:00 in Rio
  });
});

describe("scenarios of the régua", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await tenantWithDefaultRegua(handle.db);
  });

  it("an invoice due on a holiday: D0 goes out on the next allowed day, standing waits for the payable date", async () => {
    // 2026-11-20 (Friday) is Consciência Negra, a national holiday; RJ has no Saturday window
    const customer = await addCustomer(handle.db, tenant, { state: "RJ" });
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-11-20");
    await runDays(handle.db, tenant, "2026-11-13", "2026-11-24");
    const actions = await actionsOf(handle.db, tenant, invoice);
    expect(actions.map((action) => [action.step, action.channel, action.status, action.sendOn])).toEqual([
      ["D-5", "email", "planned", "2026-11-16"], // planned for Sunday the 15th, sent Monday
      ["D-1", "sms", "planned", "2026-11-19"],
      ["D0", "email", "planned", "2026-11-23"], // holiday → Monday, still the payable date
    ]);
    // payable without charges until Monday the 23rd (Lei 7.089/1983): not overdue yet on the 24th
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");
    await runDays(handle.db, tenant, "2026-11-25", "2026-11-25");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("warning");
  });

  it("payment between D+6 and D+12 stops D+12", async () => {
    const customer = await addCustomer(handle.db, tenant);
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-10-01");
    await runDays(handle.db, tenant, "2026-09-24", "2026-10-08");
    await payInvoice(handle.db, tenant, invoice, "2026-10-09");
    await runDays(handle.db, tenant, "2026-10-09", "2026-10-20");
    const actions = await actionsOf(handle.db, tenant, invoice);
    expect(actions.map((action) => `${action.step} ${action.channel}`)).toEqual([
      "D-5 email",
      "D-1 sms",
      "D0 email",
      "D+6 email",
      "D+6 sms",
    ]);
    expect(sent(actions)).toHaveLength(5);
  });

  it("suspension on D+20 and reactivation on payment, each change in the outbox", async () => {
    const customer = await addCustomer(handle.db, tenant);
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-09-01");
    await runDays(handle.db, tenant, "2026-09-01", "2026-09-05");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");
    await runDays(handle.db, tenant, "2026-09-06", "2026-09-06"); // D+5
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("warning");
    await runDays(handle.db, tenant, "2026-09-07", "2026-09-20");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("warning");
    await runDays(handle.db, tenant, "2026-09-21", "2026-09-21"); // D+20
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("suspended");
    await payInvoice(handle.db, tenant, invoice, "2026-09-23");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");
    const events = await handle.db
      .selectFrom("domain_events")
      .select(["type", "payload"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", customer.id)
      .orderBy("seq")
      .execute();
    expect(events.map((event) => event.type)).toEqual([
      "invoice.overdue",
      "customer.standing_changed",
      "customer.standing_changed",
      "customer.standing_changed",
    ]);
    expect(
      events
        .slice(1)
        .map((event) => [(event.payload as { from: string }).from, (event.payload as { to: string }).to]),
    ).toEqual([
      ["ok", "warning"],
      ["warning", "suspended"],
      ["suspended", "ok"],
    ]);
    const transitions = await handle.db
      .selectFrom("standing_transitions")
      .select(["to_standing", "reason", "effective_on"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", customer.id)
      .orderBy("at")
      .execute();
    expect(transitions[1]).toEqual({
      to_standing: "suspended",
      reason: "atraso desde 01/09/2026 (suspensão a partir de 20 dias)",
      effective_on: "2026-09-21",
    });
    expect(transitions[2]!.reason).toBe("pagamento: nenhuma fatura vencida em aberto");
  });

  it("catch-up after two days down: missed steps are planned, a passed reminder is skipped", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db); // a planner history of its own
    const customer = await addCustomer(handle.db, tenant);
    const dueTuesday = await addInvoice(handle.db, tenant, customer, "2026-10-20"); // D-1 on Monday the 19th
    const other = await addCustomer(handle.db, tenant);
    const dueSaturday = await addInvoice(handle.db, tenant, other, "2026-10-24"); // D-5 on Monday the 19th
    await runDays(handle.db, tenant, "2026-10-14", "2026-10-17");
    // down on Sunday the 18th and Monday the 19th
    const report = await runDay(handle.db, tenant, "2026-10-20");
    expect(report.plan.plannedDays).toEqual(["2026-10-18", "2026-10-19", "2026-10-20"]);
    expect(
      (await actionsOf(handle.db, tenant, dueTuesday)).map((a) => [a.step, a.status, a.reason, a.sendOn]),
    ).toEqual([
      ["D-5", "planned", null, "2026-10-15"],
      ["D-1", "skipped", "moment_passed", "2026-10-20"],
      ["D0", "planned", null, "2026-10-20"],
    ]);
    expect(
      (await actionsOf(handle.db, tenant, dueSaturday)).map((a) => [a.step, a.status, a.plannedOn, a.sendOn]),
    ).toEqual([["D-5", "planned", "2026-10-19", "2026-10-20"]]);
  });

  it("re-running a day changes nothing", async () => {
    const customer = await addCustomer(handle.db, tenant);
    await addInvoice(handle.db, tenant, customer, "2026-08-20");
    const first = await runDay(handle.db, tenant, "2026-08-26");
    const count = async () =>
      (
        await handle.db
          .selectFrom("dunning_actions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = Number(await count());
    expect(first.plan.total).toBeGreaterThan(0);
    const second = await runDay(handle.db, tenant, "2026-08-26");
    expect(second.plan.total).toBe(0);
    expect(second.standing).toEqual([]);
    expect(Number(await count())).toBe(before);
  });
});
