import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { sendBatch } from "../../src/modules/messages/batch-send.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { AppError } from "../../src/shared/errors.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertDebtor } from "../support/message-fixtures.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let smtp: SmtpPeer;
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  smtp = await startSmtpPeer();
  tenant = tenantFromRow(await insertTestTenant(handle.db));
  // due today, overdue (two invoices, tagged vip), due later, no e-mail, paid
  await insertDebtor(handle.db, tenant.id, {
    name: "Hoje",
    email: "hoje@example.com",
    invoices: [{ description: "A", amountCents: 10_00, dueDate: "2026-11-23" }],
  });
  const vip = await insertDebtor(handle.db, tenant.id, {
    name: "Atrasado Vip",
    email: "vip@example.com",
    invoices: [
      { description: "B", amountCents: 20_00, dueDate: "2026-11-01" },
      { description: "C", amountCents: 30_00, dueDate: "2026-11-10" },
    ],
  });
  await handle.db
    .updateTable("customers")
    .set({ tags: ["vip"] })
    .where("id", "=", vip.customerId)
    .execute();
  await insertDebtor(handle.db, tenant.id, {
    name: "Depois",
    email: "depois@example.com",
    invoices: [{ description: "D", amountCents: 40_00, dueDate: "2026-12-10" }],
  });
  await insertDebtor(handle.db, tenant.id, {
    name: "Sem Email",
    invoices: [{ description: "E", amountCents: 50_00, dueDate: "2026-11-05" }],
  });
  const paid = await insertDebtor(handle.db, tenant.id, {
    name: "Pago",
    email: "pago@example.com",
    invoices: [{ description: "F", amountCents: 60_00, dueDate: "2026-11-05" }],
  });
  await handle.db
    .updateTable("invoices")
    .set({ status: "paid" })
    .where("id", "=", paid.invoiceIds[0]!)
    .execute();
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

describe("batch send now", () => {
  // Monday 2026-11-23, 10:00 in São Paulo
  const clock = new FixedClock("2026-11-23T13:00:00Z");

  it("counts first (dry run) per filter and tag, writing nothing", async () => {
    const count = (filter: "open" | "due-today" | "overdue", tag?: string) =>
      sendBatch(handle.db, tenant, { template: "email.d+6", filter, tag: tag ?? null, dryRun: true }, clock);
    expect(await count("open")).toMatchObject({
      customers: 4,
      invoices: 5,
      reachable: 3,
      totalCents: 150_00,
    });
    expect(await count("due-today")).toMatchObject({ customers: 1, invoices: 1, reachable: 1 });
    expect(await count("overdue")).toMatchObject({
      customers: 2,
      invoices: 3,
      reachable: 1,
      totalCents: 100_00,
    });
    expect(await count("overdue", "vip")).toMatchObject({ customers: 1, invoices: 2 });
    const actions = await handle.db
      .selectFrom("dunning_actions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .execute();
    expect(actions).toHaveLength(0);
  });

  it("sends the chosen template, one message per customer, inside contact hours", async () => {
    const result = await sendBatch(
      handle.db,
      tenant,
      { template: "email.d+6", filter: "overdue", dryRun: false },
      clock,
    );
    expect(result).toMatchObject({ customers: 2, actions: 3 });
    const worker = new Dispatcher(handle.db, { clock, tenantId: tenant.id, smtpUrl: smtp.url });
    expect(await worker.drain()).toMatchObject({ sent: 1, skipped: 1 });
    await worker.close();
    const mails = await smtp.parsed();
    expect(mails.map((mail) => mail.to)).toMatchObject([{ text: "vip@example.com" }]);
    expect(mails[0]!.text).toContain("Não identificamos o pagamento de 2 faturas.");
  });

  it("after today's contact hours it waits for the next business day's window", async () => {
    const evening = new FixedClock("2026-11-23T23:30:00Z"); // 20:30 in São Paulo
    await sendBatch(handle.db, tenant, { template: "email.d0", filter: "due-today", dryRun: false }, evening);
    const action = await handle.db
      .selectFrom("dunning_actions")
      .select(["send_on", "scheduled_for"])
      .where("tenant_id", "=", tenant.id)
      .where("template", "=", "email.d0")
      .executeTakeFirstOrThrow();
    expect(action.send_on).toBe("2026-11-24");
    expect(action.scheduled_for.toISOString()).toBe("2026-11-24T11:00:00.000Z"); // 08:00 in SP
  });

  it("writes about what open-debt says is owed: not an original an agreement replaces, not a Saturday's invoice payable today", async () => {
    // due Saturday 2026-11-21: payable on Monday the 23rd without charges (Lei 7.089/1983)
    const weekend = await insertDebtor(handle.db, tenant.id, {
      name: "Sábado",
      email: "sabado@example.com",
      invoices: [{ description: "G", amountCents: 70_00, dueDate: "2026-11-21" }],
    });
    const renegotiated = await insertDebtor(handle.db, tenant.id, {
      name: "Em Acordo",
      email: "acordo@example.com",
      invoices: [{ description: "H", amountCents: 300_00, dueDate: "2026-10-01" }],
    });
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: renegotiated.customerId,
        terms: { invoiceIds: renegotiated.invoiceIds, installments: 2 },
        actor: { kind: "operator", id: "00000000-0000-4000-8000-00000000a001", role: "admin" },
      },
      clock,
    );
    const customerIds = [weekend.customerId, renegotiated.customerId];
    const count = (filter: "open" | "overdue") =>
      sendBatch(handle.db, tenant, { template: "email.d+6", filter, customerIds, dryRun: true }, clock);
    const installments = agreement.installments.reduce(
      (sum, installment) => sum + installment.amountCents,
      0,
    );
    // open: the Saturday invoice and the agreement's installments, never the original H
    expect(await count("open")).toMatchObject({
      customers: 2,
      invoices: 1 + agreement.installments.length,
      totalCents: 70_00 + installments,
    });
    // overdue on Monday: nothing (G is payable today, the installments are not due, H is replaced)
    expect(await count("overdue")).toMatchObject({ customers: 0, invoices: 0, totalCents: 0 });
  });

  it("refuses an unknown template or filter", async () => {
    await expect(
      sendBatch(handle.db, tenant, { template: "email.nada", filter: "open", dryRun: true }, clock),
    ).rejects.toThrow(AppError);
    await expect(
      sendBatch(handle.db, tenant, { template: "email.d0", filter: "late" as never, dryRun: true }, clock),
    ).rejects.toThrow(/filtro "late" desconhecido/);
  });
});
