import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { savePolicy } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { type HttpPeer, providerSuccess, startHttpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";
import {
  actionsOf,
  addCustomer,
  addInvoice,
  type TestCustomer,
  tenantWithDefaultRegua,
} from "./regua-support.ts";

let handle: DatabaseHandle;
let provider: HttpPeer;
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  provider = await startHttpPeer();
  tenant = await tenantWithDefaultRegua(handle.db);
  // D+6: WhatsApp to whoever may get it; SMS only to debtors without WhatsApp
  await savePolicy(handle.db, tenant.id, {
    name: "WhatsApp primeiro",
    priority: 1,
    steps: [
      {
        name: "D+6 WhatsApp",
        offsetDays: 6,
        channels: ["whatsapp"],
        templates: { whatsapp: "whatsapp.d+6" },
      },
      {
        name: "D+6 SMS",
        offsetDays: 6,
        channels: ["sms"],
        templates: { sms: "sms.d+6" },
        conditions: { onlyWithoutChannel: "whatsapp" },
      },
    ],
  });
  // SMS through Zenvia's API and WhatsApp through the Cloud API, both at the local peer
  await handle.db
    .insertInto("messaging_settings")
    .values({
      tenant_id: tenant.id,
      sms_provider: "zenvia",
      sms_base_url: provider.url,
      sms_token: "zen",
      sms_from: "credora",
      whatsapp_base_url: provider.url,
      whatsapp_phone_number_id: "999",
      whatsapp_token: "wa",
    })
    .execute();
});
afterAll(async () => {
  await provider?.close();
  await handle?.close();
});

async function withWhatsApp(
  customer: TestCustomer,
  phone: string,
  facts: { optIn: boolean; optedOut?: boolean },
) {
  await handle.db
    .insertInto("contacts")
    .values({
      tenant_id: tenant.id,
      customer_id: customer.id,
      channel: "whatsapp",
      value: phone,
      consent_at: facts.optIn ? new Date("2026-10-01T12:00:00Z") : null,
      opted_out_at: facts.optedOut ? new Date("2026-11-01T12:00:00Z") : null,
    })
    .execute();
}

async function smsNumberOf(customer: TestCustomer): Promise<string> {
  const row = await handle.db
    .selectFrom("contacts")
    .select("value")
    .where("tenant_id", "=", tenant.id)
    .where("customer_id", "=", customer.id)
    .where("channel", "=", "sms")
    .executeTakeFirstOrThrow();
  return row.value;
}

/** What reached the providers: one line per message, "<channel> <recipient digits>". */
function sent(): string[] {
  return provider.requests
    .map((request) => {
      const body = JSON.parse(request.body) as { to: string };
      const channel = request.path.includes("/channels/sms/") ? "sms" : "whatsapp";
      return `${channel} ${body.to.replace(/\D/g, "")}`;
    })
    .sort();
}

const digits = (phone: string) => phone.replace(/\D/g, "");

describe("a fallback step reaches every debtor who has a usable channel", () => {
  it("D+6: WhatsApp to the debtor with opt-in, SMS to those whose WhatsApp has no opt-in, was opted out, or who have none", async () => {
    const ana = await addCustomer(handle.db, tenant, { email: false });
    await withWhatsApp(ana, "+5511970000001", { optIn: true });
    const bruno = await addCustomer(handle.db, tenant, { email: false });
    await withWhatsApp(bruno, "+5511970000002", { optIn: false });
    const carla = await addCustomer(handle.db, tenant, { email: false });
    const davi = await addCustomer(handle.db, tenant, { email: false });
    await withWhatsApp(davi, "+5511970000004", { optIn: true, optedOut: true });
    const invoices = new Map<string, string>();
    for (const debtor of [ana, bruno, carla, davi]) {
      invoices.set(debtor.id, await addInvoice(handle.db, tenant, debtor, "2026-11-17"));
    }

    await runDay(handle.db, tenant, "2026-11-23"); // Monday, D+6
    const dispatcher = new Dispatcher(handle.db, {
      clock: new FixedClock(new Date("2026-11-23T13:00:00Z")), // 10:00 in São Paulo
      tenantId: tenant.id,
      random: () => 0.5,
    });
    const report = await dispatcher.drain();
    await dispatcher.close();

    expect(sent()).toEqual(
      [
        `whatsapp ${digits("+5511970000001")}`,
        `sms ${digits(await smsNumberOf(bruno))}`,
        `sms ${digits(await smsNumberOf(carla))}`,
        `sms ${digits(await smsNumberOf(davi))}`,
      ].sort(),
    );
    expect(report).toMatchObject({ sent: 4, failed: 0 });
    // the WhatsApp step was never planned for those who cannot get it, so nothing was skipped at dispatch
    expect(await actionsOf(handle.db, tenant, invoices.get(bruno.id)!)).toMatchObject([
      { channel: "sms", status: "sent" },
      { channel: "whatsapp", status: "skipped", reason: "no_contact" },
    ]);
    expect(await actionsOf(handle.db, tenant, invoices.get(davi.id)!)).toMatchObject([
      { channel: "sms", status: "sent" },
      { channel: "whatsapp", status: "skipped", reason: "opted_out" },
    ]);
    expect(await actionsOf(handle.db, tenant, invoices.get(ana.id)!)).toMatchObject([
      { channel: "whatsapp", status: "sent" },
    ]);
  });

  it("a WhatsApp opted out or found unreachable after planning leaves the debtor to the SMS step, the same day", async () => {
    const day = "2026-11-24"; // Tuesday, D+6 of the invoices due on the 18th
    const eva = await addCustomer(handle.db, tenant, { email: false });
    await withWhatsApp(eva, "+5511970000005", { optIn: true });
    const fabio = await addCustomer(handle.db, tenant, { email: false });
    await withWhatsApp(fabio, "+5511970000006", { optIn: true });
    const evaInvoice = await addInvoice(handle.db, tenant, eva, "2026-11-18");
    const fabioInvoice = await addInvoice(handle.db, tenant, fabio, "2026-11-18");
    await runDay(handle.db, tenant, day);
    // planned on WhatsApp only: both had a usable one when the day was planned
    expect(await actionsOf(handle.db, tenant, evaInvoice)).toMatchObject([
      { channel: "whatsapp", status: "planned" },
    ]);

    // before the send, Eva answers "SAIR" on WhatsApp, and Fábio's number turns out not to be on WhatsApp
    await handle.db
      .updateTable("contacts")
      .set({ opted_out_at: new Date("2026-11-24T11:00:00Z") })
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", eva.id)
      .where("channel", "=", "whatsapp")
      .execute();
    const fabioWhatsApp = digits("+5511970000006");
    provider.respond = (request) => {
      const body = JSON.parse(request.body) as { to?: string };
      if (request.path.endsWith("/messages") && body.to?.replace(/\D/g, "") === fabioWhatsApp)
        return { status: 400, body: { error: { code: 131026, message: "Message undeliverable" } } };
      return providerSuccess(request);
    };
    provider.requests.length = 0;
    const dispatcher = new Dispatcher(handle.db, {
      clock: new FixedClock(new Date("2026-11-24T13:00:00Z")),
      tenantId: tenant.id,
      random: () => 0.5,
    });
    await dispatcher.drain();
    await dispatcher.close();
    provider.respond = providerSuccess;

    expect(sent()).toEqual(
      [
        `whatsapp ${fabioWhatsApp}`,
        `sms ${digits(await smsNumberOf(eva))}`,
        `sms ${digits(await smsNumberOf(fabio))}`,
      ].sort(),
    );
    expect(await actionsOf(handle.db, tenant, evaInvoice)).toMatchObject([
      { channel: "sms", status: "sent" },
      { channel: "whatsapp", status: "skipped" },
    ]);
    expect(await actionsOf(handle.db, tenant, fabioInvoice)).toMatchObject([
      { channel: "sms", status: "sent" },
      { channel: "whatsapp", status: "failed" },
    ]);
  });
});
