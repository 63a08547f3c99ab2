import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { planDay } from "../../src/modules/actions/planner.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { DEFAULT_POLICY } from "../../src/modules/policies/default-policy.ts";
import { savePolicy } from "../../src/modules/policies/policy.service.ts";
import {
  disputeInvoice,
  getCustomerStanding,
  pauseCustomer,
  reopenCustomer,
} from "../../src/modules/standing/standing.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { AppError } from "../../src/shared/errors.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";
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
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
});
afterAll(async () => {
  await handle.close();
});

describe("grouping and frequency cap", () => {
  it("two invoices of one customer on the same step and day go in one message", async () => {
    const customer = await addCustomer(handle.db, tenant);
    const first = await addInvoice(handle.db, tenant, customer, "2026-07-10");
    const second = await addInvoice(handle.db, tenant, customer, "2026-07-10", 9_990);
    await runDay(handle.db, tenant, "2026-07-16"); // D+6: email and SMS
    const groups = await handle.db
      .selectFrom("dunning_actions")
      .select(["invoice_id", "channel", "group_key", "status"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", customer.id)
      .execute();
    expect(groups.filter((row) => row.status === "planned")).toHaveLength(4);
    const emailGroups = new Set(groups.filter((row) => row.channel === "email").map((row) => row.group_key));
    expect(emailGroups.size).toBe(1);
    expect(new Set(groups.map((row) => row.invoice_id))).toEqual(new Set([first, second]));
  });

  it("a second e-mail to the same customer on the same day is skipped by the cap; the later step wins", async () => {
    const customer = await addCustomer(handle.db, tenant);
    const overdue = await addInvoice(handle.db, tenant, customer, "2026-07-04"); // D+12 on the 16th
    const upcoming = await addInvoice(handle.db, tenant, customer, "2026-07-21"); // D-5 on the 16th
    await runDay(handle.db, tenant, "2026-07-16");
    expect(await actionsOf(handle.db, tenant, overdue)).toMatchObject([{ step: "D+12", status: "planned" }]);
    expect(await actionsOf(handle.db, tenant, upcoming)).toMatchObject([
      { step: "D-5", status: "skipped", reason: "frequency_cap" },
    ]);
  });
});

describe("weekly cap", () => {
  it("with one e-mail a week, D0 five days after D-5 is skipped; D+6 a week later goes", async () => {
    const fresh = await tenantWithDefaultRegua(handle.db);
    await savePolicy(handle.db, fresh.id, {
      ...DEFAULT_POLICY,
      frequencyCap: { perChannelPerDay: 1, perChannelPerWeek: 1 },
    });
    const customer = await addCustomer(handle.db, fresh);
    const invoice = await addInvoice(handle.db, fresh, customer, "2026-08-13"); // Thursday
    await runDays(handle.db, fresh, "2026-08-06", "2026-08-19");
    expect(
      (await actionsOf(handle.db, fresh, invoice))
        .filter((action) => action.channel === "email")
        .map((a) => [a.step, a.status, a.reason]),
    ).toEqual([
      ["D-5", "planned", null],
      ["D0", "skipped", "frequency_cap"],
      ["D+6", "planned", null],
    ]);
  });
});

describe("stop rules", () => {
  it("an opted-out channel is skipped with its reason; the other channel still goes", async () => {
    const customer = await addCustomer(handle.db, tenant);
    await handle.db
      .updateTable("contacts")
      .set({ opted_out_at: new Date("2026-06-01T12:00:00Z") })
      .where("customer_id", "=", customer.id)
      .where("channel", "=", "sms")
      .execute();
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-06-10");
    await runDay(handle.db, tenant, "2026-06-16");
    expect((await actionsOf(handle.db, tenant, invoice)).map((a) => [a.channel, a.status, a.reason])).toEqual(
      [
        ["email", "planned", null],
        ["sms", "skipped", "opted_out"],
      ],
    );
  });

  it("a letter goes only to customers without a usable e-mail", async () => {
    const withEmail = await addCustomer(handle.db, tenant);
    const withoutEmail = await addCustomer(handle.db, tenant, { email: false });
    const a = await addInvoice(handle.db, tenant, withEmail, "2026-06-01");
    const b = await addInvoice(handle.db, tenant, withoutEmail, "2026-06-01");
    await runDay(handle.db, tenant, "2026-06-16"); // D+15
    expect(await actionsOf(handle.db, tenant, a)).toEqual([]);
    expect(await actionsOf(handle.db, tenant, b)).toMatchObject([
      { step: "D+15", channel: "letter", status: "planned" },
    ]);
  });

  it("a paused customer and a disputed invoice get nothing, and the reason is recorded", async () => {
    const paused = await addCustomer(handle.db, tenant);
    const disputed = await addCustomer(handle.db, tenant);
    const a = await addInvoice(handle.db, tenant, paused, "2026-05-10");
    const b = await addInvoice(handle.db, tenant, disputed, "2026-05-10");
    await pauseCustomer(handle.db, tenant.id, paused.id, {
      until: "2026-05-31",
      reason: "negociando por telefone",
    });
    await disputeInvoice(handle.db, tenant.id, b, "cliente diz que cancelou o serviço");
    await runDay(handle.db, tenant, "2026-05-16");
    expect(await actionsOf(handle.db, tenant, a)).toMatchObject([
      { channel: "email", status: "skipped", reason: "paused" },
      { channel: "sms", status: "skipped", reason: "paused" },
    ]);
    expect(await actionsOf(handle.db, tenant, b)).toMatchObject([
      { channel: "email", status: "skipped", reason: "disputed" },
      { channel: "sms", status: "skipped", reason: "disputed" },
    ]);
  });
});

describe("cancellation", () => {
  it("cancelled stays cancelled after payment until an operator reopens it", async () => {
    const fresh = await tenantWithDefaultRegua(handle.db);
    const customer = await addCustomer(handle.db, fresh);
    const invoice = await addInvoice(handle.db, fresh, customer, "2026-03-02");
    await runDays(handle.db, fresh, "2026-05-01", "2026-05-01"); // D+60
    expect(await standingOf(handle.db, fresh, customer.id)).toBe("cancelled");
    await payInvoice(handle.db, fresh, invoice, "2026-05-04");
    expect(await standingOf(handle.db, fresh, customer.id)).toBe("cancelled");
    const reopened = await reopenCustomer(
      handle.db,
      fresh.id,
      customer.id,
      "pagou tudo",
      "2026-05-05",
      new Date(),
    );
    expect(reopened).toContainEqual({ subjectKind: "customer", from: "cancelled", to: "ok", count: 1 });
    expect((await getCustomerStanding(handle.db, fresh.id, customer.id))[0]).toMatchObject({
      standing: "ok",
      reason: "reaberto pelo operador: pagou tudo",
    });
    const again = await reopenCustomer(
      handle.db,
      fresh.id,
      customer.id,
      "de novo",
      "2026-05-06",
      new Date(),
    ).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
  });
});

describe.skipIf(!onPostgres)("two planners at once (PostgreSQL: two connections)", () => {
  it("every action exists once", async () => {
    const busy = await tenantWithDefaultRegua(handle.db);
    for (let index = 0; index < 40; index += 1) {
      const customer = await addCustomer(handle.db, busy, { state: index % 2 ? "SP" : "RJ" });
      await addInvoice(handle.db, busy, customer, "2026-04-10");
      await addInvoice(handle.db, busy, customer, "2026-04-21");
    }
    const [one, two] = await Promise.all([
      planDay(handle.db, busy, "2026-04-16"),
      planDay(handle.db, busy, "2026-04-16"),
    ]);
    const rows = await handle.db
      .selectFrom("dunning_actions")
      .select(["invoice_id", "step_id", "channel"])
      .where("tenant_id", "=", busy.id)
      .execute();
    const keys = new Set(rows.map((row) => `${row.invoice_id}/${row.step_id}/${row.channel}`));
    expect(rows.length).toBeGreaterThan(100);
    expect(keys.size).toBe(rows.length);
    expect(one.total + two.total).toBe(rows.length);
  });
});
if (!onPostgres) {
  describe("two planners at once", () => {
    it.skip("needs two database connections: PGlite is a single in-process connection (runs on PostgreSQL)", () => {});
  });
}

describe("standing per contract", () => {
  it("a contract's overdue invoice moves the contract and its customer; another contract stays ok", async () => {
    const fresh = await tenantWithDefaultRegua(handle.db);
    const customer = await addCustomer(handle.db, fresh);
    const contracts = await handle.db
      .insertInto("contracts")
      .values([
        { tenant_id: fresh.id, external_id: "plano-a", customer_id: customer.id, plan: "fibra 500" },
        { tenant_id: fresh.id, external_id: "plano-b", customer_id: customer.id, plan: "tv" },
      ])
      .returning("id")
      .execute();
    const late = await addInvoice(handle.db, fresh, customer, "2026-02-02");
    await handle.db
      .updateTable("invoices")
      .set({ contract_id: contracts[0]!.id })
      .where("id", "=", late)
      .execute();
    const onTime = await addInvoice(handle.db, fresh, customer, "2026-03-02");
    await handle.db
      .updateTable("invoices")
      .set({ contract_id: contracts[1]!.id })
      .where("id", "=", onTime)
      .execute();
    await runDay(handle.db, fresh, "2026-02-23"); // D+21 of the late one
    const standings = await getCustomerStanding(handle.db, fresh.id, customer.id);
    expect(standings.map((row) => [row.subjectKind, row.subjectId, row.standing])).toEqual([
      ["customer", customer.id, "suspended"],
      ["contract", contracts[0]!.id, "suspended"],
    ]);
  });
});
