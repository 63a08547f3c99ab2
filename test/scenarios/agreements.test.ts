import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import {
  cancelAgreement,
  getAgreement,
  proposeAgreement,
  simulateAgreement,
} from "../../src/modules/agreements/agreement.service.ts";
import type { AgreementActor } from "../../src/modules/agreements/agreement.ts";
import {
  getAgreementSettings,
  updateAgreementSettings,
} from "../../src/modules/agreements/agreement-settings.ts";
import { getAmountDue } from "../../src/modules/invoices/invoice.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { recordPayment } from "../../src/modules/payments/payment.service.ts";
import { DEFAULT_TEMPLATES } from "../../src/modules/templates/default-templates.ts";
import { checkTemplate } from "../../src/modules/templates/template-check.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { creditorOf } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";
import {
  actionsOf,
  addCustomer,
  addInvoice,
  runDays,
  standingOf,
  type TestCustomer,
  tenantWithDefaultRegua,
} from "./regua-support.ts";

/**
 * Agreements on the simulated clock. Today is Monday 2026-11-23 in São Paulo; the tenant charges
 * 2% fine and 1% a month (its defaults) and issues boleto and Pix. The customer owes A, R$ 100,00
 * due 2026-10-05, and B, R$ 200,00 due 2026-11-19.
 */
let handle: DatabaseHandle;
let tenant: Tenant;
const analyst: AgreementActor = {
  kind: "operator",
  id: "00000000-0000-4000-8000-00000000a001",
  role: "analyst",
};
const clockAt = (day: string) => new FixedClock(`${day}T15:00:00Z`);
let sequence = 0;

beforeAll(async () => {
  handle = await openTestDatabase();
  const base = await tenantWithDefaultRegua(handle.db);
  const row = await handle.db
    .updateTable("tenants")
    .set({
      boleto_bank_code: "237",
      boleto_agency: "1234",
      boleto_account: "1234567",
      pix_key: "financeiro@credora.com.br",
      pix_merchant_city: "SAO PAULO",
    })
    .where("id", "=", base.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  tenant = tenantFromRow(row);
});
afterAll(async () => {
  await handle.close();
});

async function debtor(): Promise<{ customer: TestCustomer; a: string; b: string }> {
  const customer = await addCustomer(handle.db, tenant);
  const a = await addInvoice(handle.db, tenant, customer, "2026-10-05", 10_000);
  const b = await addInvoice(handle.db, tenant, customer, "2026-11-19", 20_000);
  return { customer, a, b };
}

async function pay(invoiceId: string, amountCents: number, day: string) {
  sequence += 1;
  return recordPayment(
    handle.db,
    tenant,
    { externalId: `pag-acordo-${sequence}`, invoiceId, amountCents, paidAt: new Date(`${day}T15:00:00Z`) },
    clockAt(day).now(),
  );
}

async function eventsOf(agreementId: string): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("domain_events")
    .select(["type", "payload"])
    .where("tenant_id", "=", tenant.id)
    .where("type", "like", "agreement.%")
    .orderBy("seq")
    .execute();
  return rows
    .filter((row) => (row.payload as { agreement: { id: string } }).agreement.id === agreementId)
    .map((row) => row.type);
}

async function invoiceStatus(id: string): Promise<string> {
  const row = await handle.db
    .selectFrom("invoices")
    .select("status")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.status;
}

describe("simulation", () => {
  it("shows the debt per invoice as of today and the plans within the analyst's limits", async () => {
    const { customer, a, b } = await debtor();
    const simulation = await simulateAgreement(
      handle.db,
      tenant,
      { customerId: customer.id, actor: analyst },
      clockAt("2026-11-23"),
    );
    // A: 49 days late → fine 2,00 + interest 100 × 1% × 49/30 = 1,6333 → 1,63
    // B: 4 days late → fine 4,00 + interest 200 × 1% × 4/30 = 0,2667 → 0,27
    expect(simulation.debt.invoices).toEqual([
      expect.objectContaining({
        invoiceId: a,
        daysOverdue: 49,
        principalCents: 10_000,
        fineCents: 200,
        interestCents: 163,
        totalCents: 10_363,
      }),
      expect.objectContaining({
        invoiceId: b,
        daysOverdue: 4,
        principalCents: 20_000,
        fineCents: 400,
        interestCents: 27,
        totalCents: 20_427,
      }),
    ]);
    expect(simulation.debt.totalCents).toBe(30_790);
    const [atOnce, ...split] = simulation.options;
    // settlement at once: fine and interest waived, 10% off the principal → 270,00
    expect(atOnce!.schedule).toEqual([{ number: 1, dueDate: "2026-11-24", amountCents: 27_000 }]);
    expect(atOnce!.concessionCents).toBe(3_790);
    // the analyst's minimum installment is R$ 30,00: 307,90 splits in up to 10
    expect(split.map((option) => option.terms.installments)).toEqual([2, 3, 6, 10]);
    for (const option of split) {
      expect(option.schedule.reduce((sum, payment) => sum + payment.amountCents, 0)).toBe(30_790);
    }
  });
});

describe("lifecycle", () => {
  it("proposed → active on the down payment → completed on the last installment; the originals end renegotiated", async () => {
    const { customer, a, b } = await debtor();
    await runDays(handle.db, tenant, "2026-11-23", "2026-11-23");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("suspended"); // A is 49 days late
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: {
          invoiceIds: [a, b],
          downPaymentCents: 5_000,
          installments: 2,
          dayOfMonth: 10,
          waiveFine: true,
        },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    expect(agreement.status).toBe("proposed");
    // 307,90 − 6,00 of fines = 301,90: 50,00 down, 251,90 in two of 125,95
    expect(agreement.concessionCents).toBe(600);
    expect(
      agreement.installments.map(({ number, dueDate, amountCents, status }) => ({
        number,
        dueDate,
        amountCents,
        status,
      })),
    ).toEqual([
      { number: 0, dueDate: "2026-11-24", amountCents: 5_000, status: "open" },
      { number: 1, dueDate: "2026-12-10", amountCents: 12_595, status: "open" },
      { number: 2, dueDate: "2027-01-10", amountCents: 12_595, status: "open" },
    ]);
    // the debtor reads the installments by the agreement's day, not by an id
    const descriptions = await handle.db
      .selectFrom("invoices")
      .select("description")
      .where("tenant_id", "=", tenant.id)
      .where(
        "id",
        "in",
        agreement.installments.map((installment) => installment.invoiceId),
      )
      .orderBy("due_date")
      .execute();
    expect(descriptions.map((row) => row.description)).toEqual([
      "Acordo de 23/11/2026 — entrada",
      "Acordo de 23/11/2026 — parcela 1 de 2",
      "Acordo de 23/11/2026 — parcela 2 de 2",
    ]);
    for (const installment of agreement.installments) {
      expect(installment.typeableLine).toMatch(/^\d{47}$/);
      expect(installment.pixPayload).toContain("br.gov.bcb.pix");
    }
    // the originals left the régua and the standing recovers while the agreement is in force
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");

    await pay(agreement.installments[0]!.invoiceId, 5_000, "2026-11-24");
    expect((await getAgreement(handle.db, tenant.id, agreement.id))!.status).toBe("active");
    await pay(agreement.installments[1]!.invoiceId, 12_595, "2026-12-09");
    await pay(agreement.installments[2]!.invoiceId, 12_595, "2027-01-08");
    const done = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(done.status).toBe("completed");
    expect(done.paidCents).toBe(30_190);
    expect([await invoiceStatus(a), await invoiceStatus(b)]).toEqual(["renegotiated", "renegotiated"]);
    expect(await eventsOf(agreement.id)).toEqual([
      "agreement.proposed",
      "agreement.activated",
      "agreement.completed",
    ]);
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");
  });

  it("lapses when the down payment is not paid by its due date: installments cancelled, originals untouched and back in the régua", async () => {
    const { customer, a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: { invoiceIds: [a, b], downPaymentCents: 5_000, installments: 3, dayOfMonth: 5 },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    await runDays(handle.db, tenant, "2026-11-24", "2026-11-24");
    expect((await getAgreement(handle.db, tenant.id, agreement.id))!.status).toBe("proposed");
    const [day] = await runDays(handle.db, tenant, "2026-11-25", "2026-11-25");
    expect(day!.agreements).toEqual([{ id: agreement.id, move: "lapse" }]);
    const lapsed = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(lapsed.status).toBe("lapsed");
    expect(lapsed.installments.every((installment) => installment.status === "cancelled")).toBe(true);
    expect([await invoiceStatus(a), await invoiceStatus(b)]).toEqual(["open", "open"]);
    expect((await getAmountDue(handle.db, tenant, b, "2026-11-25")).paidCents).toBe(0);
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("suspended");
    // B's D+12 (2026-12-01) is planned again
    await runDays(handle.db, tenant, "2026-11-30", "2026-12-01");
    expect((await actionsOf(handle.db, tenant, b)).map((action) => action.step)).toContain("D+12");
    expect(await eventsOf(agreement.id)).toEqual(["agreement.proposed", "agreement.lapsed"]);
  });

  it("breaks after 5 business days unpaid: the agreement régua warned on D-3, D0, D+1 and D+3, and the original debt returns less what was paid, to the cent", async () => {
    const { customer, a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: { invoiceIds: [a, b], downPaymentCents: 15_000, installments: 2, dayOfMonth: 10 },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    // 307,90 − 150,00 = 157,90 in two of 78,95
    expect(agreement.installments.map((installment) => installment.amountCents)).toEqual([
      15_000, 7_895, 7_895,
    ]);
    await pay(agreement.installments[0]!.invoiceId, 15_000, "2026-11-24");
    expect((await getAgreement(handle.db, tenant.id, agreement.id))!.status).toBe("active");

    // installment 1 is due Thursday 2026-12-10 and never paid; on D-3 the debtor gets the SMS
    await runDays(handle.db, tenant, "2026-11-24", "2026-12-07");
    const dispatcher = new Dispatcher(handle.db, {
      clock: new FixedClock("2026-12-07T13:00:00Z"),
      tenantId: tenant.id,
      smtpUrl: null,
      random: () => 0.5,
    });
    await dispatcher.drain();
    await dispatcher.close();
    const phone = await handle.db
      .selectFrom("contacts")
      .select("value")
      .where("customer_id", "=", customer.id)
      .where("channel", "=", "sms")
      .executeTakeFirstOrThrow();
    const sms = await handle.db
      .selectFrom("captured_messages")
      .select("text")
      .where("tenant_id", "=", tenant.id)
      .where("recipient", "=", phone.value)
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain("parcela do seu acordo (R$ 78,95) vence em 10/12/2026");
    expect(sms[0]!.text).toMatch(/https?:\/\/\S+\/l\/\S+/); // the portal link
    expect(sms[0]!.text).toContain("CNPJ 11.222.333/0001-81");
    await runDays(handle.db, tenant, "2026-12-08", "2026-12-17");
    expect((await getAgreement(handle.db, tenant.id, agreement.id))!.status).toBe("active");
    const installment = agreement.installments[1]!.invoiceId;
    const actions = await actionsOf(handle.db, tenant, installment);
    expect(
      actions.map(({ step, channel, status, reason, sendOn }) => ({ step, channel, status, reason, sendOn })),
    ).toEqual([
      { step: "D-3", channel: "sms", status: "sent", reason: null, sendOn: "2026-12-07" },
      { step: "D0", channel: "email", status: "planned", reason: null, sendOn: "2026-12-10" },
      { step: "D+1 SMS", channel: "sms", status: "planned", reason: null, sendOn: "2026-12-11" },
      {
        step: "D+1 WhatsApp",
        channel: "whatsapp",
        status: "skipped",
        reason: "no_contact",
        sendOn: "2026-12-11",
      },
      // D+3 is Sunday 12-13: out on Monday
      { step: "D+3", channel: "email", status: "planned", reason: null, sendOn: "2026-12-14" },
      { step: "D+3", channel: "sms", status: "planned", reason: null, sendOn: "2026-12-14" },
    ]);
    // while the agreement is in force the régua left the originals alone (B's D+12 fell on 12-01)
    expect(await actionsOf(handle.db, tenant, a)).toEqual([]);
    expect(await actionsOf(handle.db, tenant, b)).toEqual([]);

    // business days after 12-10: 11, 14, 15, 16, 17 → on Friday 12-18 the tolerance is past
    const [day] = await runDays(handle.db, tenant, "2026-12-18", "2026-12-18");
    expect(day!.agreements).toEqual([{ id: agreement.id, move: "break" }]);
    const broken = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(broken.status).toBe("broken");
    expect(broken.installments.map((entry) => entry.status)).toEqual(["paid", "cancelled", "cancelled"]);
    expect(broken.paidCents).toBe(15_000);

    // The 150,00 paid on 11-24 goes to A first: 50 days late, 100,00 + 2,00 + 1,6667 → 1,67 = 103,67.
    // The 46,33 left goes to B (5 days late on 11-24): interest 0,33, fine 4,00, principal 42,00 → 158,00
    // left, and from 11-24 to 12-18 (24 days) 158,00 × 1% × 24/30 = 1,264 → 1,26 of interest: 159,26.
    expect(await invoiceStatus(a)).toBe("paid");
    const dueOnB = await getAmountDue(handle.db, tenant, b, "2026-12-18");
    expect(dueOnB).toMatchObject({
      status: "open",
      outstandingPrincipalCents: 15_800,
      fineCents: 0,
      interestCents: 126,
      totalDueCents: 15_926,
      paidCents: 4_633,
    });
    const brokenEvent = await handle.db
      .selectFrom("domain_events")
      .select("payload")
      .where("tenant_id", "=", tenant.id)
      .where("type", "=", "agreement.broken")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect((brokenEvent.payload as { reinstated: unknown }).reinstated).toEqual([
      { invoiceId: a, totalDueCents: 0 },
      { invoiceId: b, totalDueCents: 15_926 },
    ]);
    // the customer is back in the normal régua: B's D+30 (Saturday 12-19, SP window) is planned
    await runDays(handle.db, tenant, "2026-12-19", "2026-12-19");
    expect(
      (await actionsOf(handle.db, tenant, b))
        .filter((action) => action.status === "planned")
        .map((action) => action.step),
    ).toContain("D+30");
    expect(await standingOf(handle.db, tenant, customer.id)).toBe("suspended");
    expect(await eventsOf(agreement.id)).toEqual([
      "agreement.proposed",
      "agreement.activated",
      "agreement.broken",
    ]);
  });

  it("an operator cancels with a reason; the invoices return to the régua", async () => {
    const { customer, a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: { invoiceIds: [a, b], installments: 0, dayOfMonth: 10, principalDiscountBps: 1000 },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    expect(agreement.totalCents).toBe(27_790); // 307,90 − 10% of 300,00
    const cancelled = await cancelAgreement(
      handle.db,
      tenant,
      agreement.id,
      { reason: "cliente desistiu", actor: analyst },
      clockAt("2026-11-23"),
    );
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.endReason).toContain("cliente desistiu");
    expect(cancelled.installments[0]!.status).toBe("cancelled");
    expect([await invoiceStatus(a), await invoiceStatus(b)]).toEqual(["open", "open"]);
    expect(await eventsOf(agreement.id)).toEqual(["agreement.proposed", "agreement.cancelled"]);
    await expect(
      cancelAgreement(
        handle.db,
        tenant,
        agreement.id,
        { reason: "de novo", actor: analyst },
        clockAt("2026-11-23"),
      ),
    ).rejects.toMatchObject({ code: "invalid_transition" });
  });

  it("the debtor pays the old boleto of an original while the agreement is active: the money goes to the installments, earliest first, and is counted once", async () => {
    const { a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: (
          await handle.db
            .selectFrom("invoices")
            .select("customer_id")
            .where("id", "=", a)
            .executeTakeFirstOrThrow()
        ).customer_id,
        terms: {
          invoiceIds: [a, b],
          downPaymentCents: 5_000,
          installments: 2,
          dayOfMonth: 10,
          waiveFine: true,
        },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    await pay(agreement.installments[0]!.invoiceId, 5_000, "2026-11-24");
    const report = await pay(a, 15_000, "2026-12-01");
    expect(report.agreement).toEqual({ agreementId: agreement.id, outcome: "credited" });
    expect(report.payment.creditedToAgreementId).toBe(agreement.id);
    // the original stays with the agreement, owing what it owed: the payment is not counted twice
    expect(report.invoice!.status).toBe("open");
    expect((await getAmountDue(handle.db, tenant, a, "2026-12-01")).paidCents).toBe(0);
    const credited = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(credited.paidCents).toBe(20_000);
    expect(credited.installments.map((installment) => installment.status)).toEqual(["paid", "paid", "open"]);
    expect(
      (await getAmountDue(handle.db, tenant, agreement.installments[2]!.invoiceId, "2026-12-01")).paidCents,
    ).toBe(2_405);

    // the rest of the last installment completes it
    await pay(agreement.installments[2]!.invoiceId, 10_190, "2027-01-08");
    const done = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(done.status).toBe("completed");
    expect(done.paidCents).toBe(30_190);
    expect([await invoiceStatus(a), await invoiceStatus(b)]).toEqual(["renegotiated", "renegotiated"]);
    const received = await handle.db
      .selectFrom("payments")
      .select((eb) => eb.fn.sum<string>("amount_cents").as("total"))
      .where("tenant_id", "=", tenant.id)
      .where("invoice_id", "in", [
        a,
        b,
        ...agreement.installments.map((installment) => installment.invoiceId),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(received.total)).toBe(30_190);
  });

  it("a payment on an original credited to an agreement that later breaks comes back to the originals with the rest", async () => {
    const { customer, a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: {
          invoiceIds: [a, b],
          downPaymentCents: 5_000,
          installments: 2,
          dayOfMonth: 10,
          waiveFine: true,
        },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    await pay(agreement.installments[0]!.invoiceId, 5_000, "2026-11-24");
    await pay(b, 12_595, "2026-12-09");
    // the last installment (2027-01-10) is never paid; past 5 business days the agreement breaks
    const [day] = await runDays(handle.db, tenant, "2027-01-19", "2027-01-19");
    expect(day!.agreements).toEqual([{ id: agreement.id, move: "break" }]);
    const imputed = await handle.db
      .selectFrom("agreement_imputations")
      .select((eb) => eb.fn.sum<string>("amount_cents").as("total"))
      .where("tenant_id", "=", tenant.id)
      .where("agreement_id", "=", agreement.id)
      .executeTakeFirstOrThrow();
    expect(Number(imputed.total)).toBe(17_595);
    // what the originals count as paid is exactly what was received, once
    const paidA = (await getAmountDue(handle.db, tenant, a, "2027-01-19")).paidCents;
    const paidB = (await getAmountDue(handle.db, tenant, b, "2027-01-19")).paidCents;
    expect(paidA + paidB).toBe(17_595);

    // the debtor pays the cancelled last installment's boleto late: the money goes to the originals
    const late = await pay(agreement.installments[2]!.invoiceId, 12_595, "2027-01-20");
    expect(late.agreement).toEqual({ agreementId: agreement.id, outcome: "imputed" });
    const paidAfter =
      (await getAmountDue(handle.db, tenant, a, "2027-01-20")).paidCents +
      (await getAmountDue(handle.db, tenant, b, "2027-01-20")).paidCents;
    expect(paidAfter).toBe(17_595 + 12_595);

    // what is left, paid the same way, settles both originals: each announces invoice.paid, by the
    // agreement (A already when the agreement broke, B now)
    const rest =
      (await getAmountDue(handle.db, tenant, a, "2027-01-20")).totalDueCents +
      (await getAmountDue(handle.db, tenant, b, "2027-01-20")).totalDueCents;
    await pay(agreement.installments[2]!.invoiceId, rest, "2027-01-20");
    expect([await invoiceStatus(a), await invoiceStatus(b)]).toEqual(["paid", "paid"]);
    const announced = await handle.db
      .selectFrom("domain_events")
      .select("payload")
      .where("tenant_id", "=", tenant.id)
      .where("type", "=", "invoice.paid")
      .execute();
    const paidOriginals = announced
      .map((row) => row.payload as { invoice: { id: string }; payment: unknown; agreementId?: string })
      .filter((payload) => payload.invoice.id === a || payload.invoice.id === b);
    expect(paidOriginals.map((payload) => payload.invoice.id).sort()).toEqual([a, b].sort());
    for (const payload of paidOriginals) {
      expect(payload.payment).toBeNull();
      expect(payload.agreementId).toBe(agreement.id);
    }
  });

  it("a proposal nothing was paid on is withdrawn when the debtor pays an original instead, which settles it", async () => {
    const { customer, a, b } = await debtor();
    const agreement = await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: { invoiceIds: [a, b], installments: 3, dayOfMonth: 10 },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    const owed = (await getAmountDue(handle.db, tenant, b, "2026-11-23")).totalDueCents;
    const report = await pay(b, owed, "2026-11-23");
    expect(report.agreement).toEqual({ agreementId: agreement.id, outcome: "withdrawn" });
    expect(report.invoice!.status).toBe("paid");
    const withdrawn = (await getAgreement(handle.db, tenant.id, agreement.id))!;
    expect(withdrawn.status).toBe("cancelled");
    expect(withdrawn.endReason).toContain("fatura original");
    expect(withdrawn.installments.every((installment) => installment.status === "cancelled")).toBe(true);
    expect(await invoiceStatus(a)).toBe("open");
    expect(await eventsOf(agreement.id)).toEqual(["agreement.proposed", "agreement.cancelled"]);
  });

  it("an invoice in an agreement in force cannot go into another", async () => {
    const { customer, a } = await debtor();
    const terms = { invoiceIds: [a], installments: 0, dayOfMonth: 10 };
    await proposeAgreement(
      handle.db,
      tenant,
      { customerId: customer.id, terms, actor: analyst },
      clockAt("2026-11-23"),
    );
    await expect(
      proposeAgreement(
        handle.db,
        tenant,
        { customerId: customer.id, terms, actor: analyst },
        clockAt("2026-11-23"),
      ),
    ).rejects.toMatchObject({ code: "validation_failed", field: "invoiceIds" });
  });
});

describe("settings and the agreement régua", () => {
  it("settings are validated naming the field, and the standing may be kept while an agreement is in force", async () => {
    await expect(
      updateAgreementSettings(handle.db, tenant.id, { limits: { portal: { maxInstallments: 99 } } }),
    ).rejects.toMatchObject({ field: "limits.portal.maxInstallments" });
    const other = await tenantWithDefaultRegua(handle.db);
    const saved = await updateAgreementSettings(handle.db, other.id, {
      standingRecoversWhileActive: false,
      limits: { portal: { maxInstallments: 6 } },
    });
    expect(saved.limits.portal).toMatchObject({ maxInstallments: 6, minInstallmentCents: 5_000 });
    expect((await getAgreementSettings(handle.db, other.id)).standingRecoversWhileActive).toBe(false);
    const customer = await addCustomer(handle.db, other);
    const invoice = await addInvoice(handle.db, other, customer, "2026-10-05", 10_000);
    await runDays(handle.db, other, "2026-11-23", "2026-11-23");
    await proposeAgreement(
      handle.db,
      other,
      {
        customerId: customer.id,
        terms: { invoiceIds: [invoice], installments: 0, dayOfMonth: 10 },
        actor: analyst,
      },
      clockAt("2026-11-23"),
    );
    expect(await standingOf(handle.db, other, customer.id)).toBe("suspended");
  });

  it("every agreement template shows the creditor (CDC art. 42-A) and passes the template checker", () => {
    const names = DEFAULT_TEMPLATES.filter((template) => template.name.includes("agreement"));
    expect(names.map((template) => template.name).sort()).toEqual([
      "email.agreement-d+3",
      "email.agreement-d0",
      "sms.agreement-d+1",
      "sms.agreement-d+3",
      "sms.agreement-d-3",
      "whatsapp.agreement-d+1",
    ]);
    for (const template of names) {
      expect(
        checkTemplate(template, creditorOf(tenant), {
          smsMaxSegments: 3,
          publicUrl: "https://regua.example",
        }),
      ).toEqual([]);
    }
  });
});
