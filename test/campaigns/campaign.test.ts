import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { formatBrl } from "../../src/domain/money.ts";
import { dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import { readPortalLink } from "../../src/modules/portal/portal-link.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { hiddenFields, Visitor } from "../portal/portal-support.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { apiKeyFor, client, startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

// Monday 2026-11-23, 12:00 in São Paulo: inside the legal contact hours
const clock = new FixedClock("2026-11-23T15:00:00Z");
const CUSTOMERS = 24;
let handle: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

/** A creditor with CUSTOMERS debtors, each with an e-mail and one invoice overdue since 2026-09-15. */
async function world() {
  const tenant = await apiTenant(handle);
  const key = await apiKeyFor(handle, tenant.id);
  const call = client(server);
  const debtors = new Map<string, { document: string; email: string; invoiceId: string }>();
  for (let index = 0; index < CUSTOMERS; index += 1) {
    const document = cpf();
    const email = `devedor${index}@example.com`;
    const customer = await call(key, "POST", "/v1/customers", {
      body: {
        externalId: `cli-${index}`,
        name: `Cliente Número ${index}`,
        document,
        address: {
          street: "Rua Augusta",
          number: "500",
          city: "São Paulo",
          state: "SP",
          postalCode: "01305-000",
        },
        contacts: [{ channel: "email", value: email }],
      },
    });
    expect(customer.status, customer.text).toBe(201);
    const invoice = await call(key, "POST", "/v1/invoices", {
      body: {
        externalId: `NF-${index}`,
        customerId: customer.body.id,
        description: `Mensalidade ${index}`,
        amountCents: 300_00,
        issueDate: "2026-09-01",
        dueDate: "2026-09-15",
      },
    });
    expect(invoice.status, invoice.text).toBe(201);
    debtors.set(customer.body.id, { document, email, invoiceId: invoice.body.id });
  }
  return { tenant, key, call, debtors };
}

const offer = {
  name: "Quitação de atrasados 60+",
  selection: { daysOverdueFrom: 60, daysOverdueTo: 120, amountFromCents: 100_00 },
  offer: { installments: 0, principalDiscountBps: 1000, waiveFine: true, waiveInterest: true },
  channels: ["email"],
  validUntil: "2026-12-15",
  holdoutPercent: 50,
};

describe("a campaign for aged debt, measured against its holdout", () => {
  it("refuses a date in the past and terms beyond the author's limits, beside the field, in pt-BR", async () => {
    const { key, call } = await world();
    const past = await call(key, "POST", "/v1/campaigns", { body: { ...offer, validUntil: "2026-11-20" } });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ code: "validation_failed", field: "validUntil" });
    expect(past.body.error.message).toBe("Válida até: escolha uma data depois de hoje (23/11/2026)");

    // an API key has the analyst's limits: at most 10% off the principal
    const generous = await call(key, "POST", "/v1/campaigns", {
      body: { ...offer, offer: { ...offer.offer, principalDiscountBps: 5000 } },
    });
    expect(generous.status).toBe(400);
    expect(generous.body.error.field).toBe("offer.principalDiscountBps");
    expect(generous.body.error.message).toMatch(/^Desconto sobre o principal: desconto de no máximo 10%/);

    const tooMany = await call(key, "POST", "/v1/campaigns", {
      body: { ...offer, offer: { ...offer.offer, installments: 36 } },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe("offer.installments");
    expect(tooMany.body.error.message).toMatch(/^Parcelas: /);

    const none = await call(key, "POST", "/v1/campaigns", {
      body: { ...offer, selection: { daysOverdueFrom: 200 } },
    });
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe("selection");
    expect(await handle.db.selectFrom("campaigns").select("id").execute()).toEqual([]);
  });

  it("offer → e-mail with an expiring portal link → acceptance on the portal → agreement → payment, against the holdout", async () => {
    const { tenant, key, call, debtors } = await world();
    const dry = await call(key, "POST", "/v1/campaigns", { body: { ...offer, dryRun: true } });
    expect(dry.status, dry.text).toBe(201);
    expect(dry.body).toMatchObject({ campaign: null, matched: CUSTOMERS, eligible: CUSTOMERS, actions: 0 });

    const created = await call(key, "POST", "/v1/campaigns", { body: offer });
    expect(created.status, created.text).toBe(201);
    const campaignId: string = created.body.campaign.id;
    expect(created.body.offered + created.body.holdout).toBe(CUSTOMERS);
    expect(created.body.offered).toBeGreaterThan(0);
    expect(created.body.holdout).toBeGreaterThan(0);
    expect(created.body.actions).toBe(created.body.offered);

    // the arms are recorded, and the same hash gives the same arm again
    const arms = await handle.db
      .selectFrom("campaign_offers")
      .select(["customer_id", "arm", "debt_cents"])
      .where("tenant_id", "=", tenant.id)
      .execute();
    expect(arms.length).toBe(CUSTOMERS);
    const offered = arms.filter((row) => row.arm === "offer").map((row) => row.customer_id);
    const heldOut = arms.filter((row) => row.arm === "holdout").map((row) => row.customer_id);

    // the dispatcher sends the offer to the offer arm only
    await dispatchDue(handle.db, { clock, tenantId: tenant.id });
    const captured = await handle.db
      .selectFrom("captured_messages")
      .select(["recipient", "subject", "text"])
      .where("tenant_id", "=", tenant.id)
      .execute();
    const emailOf = (id: string) => debtors.get(id)!.email;
    expect(captured.map((message) => message.recipient).sort()).toEqual(offered.map(emailOf).sort());
    const first = offered[0]!;
    const message = captured.find((entry) => entry.recipient === emailOf(first))!;
    expect(message.subject).toBe("Uma condição especial para quitar sua dívida, até 15/12/2026");
    expect(message.text).toContain(
      "pagamento à vista, 10% de desconto sobre o valor principal, sem multa e juros",
    );
    // a short link's code: the tenant's route, a dot, then the random part
    const links = [...message.text.matchAll(/\/l\/([a-z0-9]+\.[A-Za-z0-9_-]+)/g)].map((match) => match[1]!);
    const offerLinks = await handle.db
      .selectFrom("short_links")
      .select(["code", "url"])
      .where("tenant_id", "=", tenant.id)
      .where("code", "in", links)
      .execute();
    const offerLink = offerLinks.find(
      (link) =>
        link.url !== null &&
        readPortalLink(new URL(link.url).searchParams.get("t")!)?.claims.purpose.kind === "offer",
    )!;
    expect(offerLink).toBeDefined();
    // the link expires with the offer: the end of 15/12/2026 in São Paulo
    const claims = readPortalLink(new URL(offerLink.url!).searchParams.get("t")!)!.claims;
    expect(claims.expiresAt.toISOString()).toBe("2026-12-16T03:00:00.000Z");
    expect(claims.purpose).toEqual({ kind: "offer", campaignId });

    // the debtor follows the link, proves identity, reviews the agreement and accepts it
    const visitor = new Visitor(server);
    const redirect = await visitor.get(`/l/${offerLink.code}`);
    const target = new URL(redirect.headers.get("location")!);
    const entered = await visitor.enter(
      `${target.pathname}${target.search}`,
      debtors.get(first)!.document.replace(/\D/g, "").slice(0, 5),
    );
    expect(entered.status).toBe(303);
    expect(entered.headers.get("location")).toBe(`/portal/ofertas/${campaignId}`);
    const review = await visitor.get(`/portal/ofertas/${campaignId}`);
    expect(review.status, review.text).toBe(200);
    expect(review.text).toContain("A oferta vale até 15/12/2026");
    expect(review.text).toContain("Confirmar acordo");
    // 300,00 of principal, 10% off, fine and interest waived: 270,00 at once
    expect(review.text).toContain(`Total a pagar</dt><dd class="total">${formatBrl(270_00)}`);
    const accepted = await visitor.post(`/portal/ofertas/${campaignId}/aceitar`, hiddenFields(review.text));
    expect(accepted.status, accepted.text).toBe(303);
    const agreementId = accepted.headers.get("location")!.match(/\/portal\/acordos\/([0-9a-f-]{36})/)![1]!;
    const agreement = await call(key, "GET", `/v1/agreements/${agreementId}`);
    expect(agreement.body.totalCents).toBe(270_00);
    expect(agreement.body.customerId).toBe(first);
    // accepted once: a second confirmation makes nothing more
    const again = await visitor.post(`/portal/ofertas/${campaignId}/aceitar`, hiddenFields(review.text));
    expect(again.status).toBe(200);
    expect(again.text).toContain("Você já aceitou esta oferta.");

    // a holdout customer has no offer to open
    const outsider = new Visitor(server);
    const link = await call(key, "POST", `/v1/customers/${heldOut[0]}/portal-link`, { body: {} });
    const outsiderUrl = new URL(link.body.url);
    await outsider.enter(
      `${outsiderUrl.pathname}${outsiderUrl.search}`,
      debtors.get(heldOut[0]!)!.document.replace(/\D/g, "").slice(0, 5),
    );
    expect((await outsider.get(`/portal/ofertas/${campaignId}`)).status).toBe(404);

    // the installment is paid through the payments use case; a holdout customer pays the original
    const installment = agreement.body.installments[0];
    const paid = await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "campanha-1",
        invoiceId: installment.invoiceId,
        amountCents: 270_00,
        method: "pix",
        paidAt: "2026-11-23T16:00:00Z",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    const holdoutPaid = await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "holdout-1",
        invoiceId: debtors.get(heldOut[0]!)!.invoiceId,
        amountCents: 100_00,
        method: "pix",
        paidAt: "2026-11-23T16:30:00Z",
      },
    });
    expect(holdoutPaid.status, holdoutPaid.text).toBe(201);
    clock.set("2026-11-24T15:00:00Z");
    expect((await call(key, "GET", `/v1/agreements/${agreementId}`)).body.status).toBe("completed");

    const results = await call(key, "GET", `/v1/campaigns/${campaignId}`);
    expect(results.status, results.text).toBe(200);
    const byArm = Object.fromEntries(results.body.arms.map((arm: { arm: string }) => [arm.arm, arm]));
    expect(byArm.offer).toMatchObject({
      customers: offered.length,
      accepted: 1,
      recovered: 1,
      recoveredCents: 270_00,
    });
    expect(byArm.holdout).toMatchObject({
      customers: heldOut.length,
      accepted: 0,
      recovered: 1,
      recoveredCents: 100_00,
    });
    expect(byArm.offer.recoveryRate).toBeCloseTo(1 / offered.length);
    const { uplift } = results.body;
    expect(uplift.rate.difference).toBeCloseTo(1 / offered.length - 1 / heldOut.length);
    expect(uplift.rate.low).toBeLessThanOrEqual(uplift.rate.difference);
    expect(uplift.rate.high).toBeGreaterThanOrEqual(uplift.rate.difference);
    expect(uplift.amountPerCustomerCents.difference).toBeCloseTo(
      270_00 / offered.length - 100_00 / heldOut.length,
    );
    expect(uplift.note).toMatch(/clientes/);

    // after the offer's last day its link no longer opens, and the offer page says it expired
    clock.set("2026-12-16T12:00:00Z");
    const late = new Visitor(server);
    const lateTarget = new URL((await late.get(`/l/${offerLink.code}`)).headers.get("location")!);
    expect((await late.get(`${lateTarget.pathname}${lateTarget.search}`)).status).toBe(410);
    const other = offered[1]!;
    const otherLink = await call(key, "POST", `/v1/customers/${other}/portal-link`, { body: {} });
    const otherUrl = new URL(otherLink.body.url);
    await late.enter(
      `${otherUrl.pathname}${otherUrl.search}`,
      debtors.get(other)!.document.replace(/\D/g, "").slice(0, 5),
    );
    const expired = await late.get(`/portal/ofertas/${campaignId}`);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain("Esta oferta era válida até 15/12/2026");
    clock.set("2026-11-23T15:00:00Z");
  });
});
