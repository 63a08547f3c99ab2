import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseCsvText } from "../../src/modules/imports/csv.ts";
import { importRows } from "../../src/modules/imports/import.service.ts";
import { getAmountDue, getInvoiceByExternalId } from "../../src/modules/invoices/invoice.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * A small portfolio goes in through the three CSV files, payments arrive (on time, partial, late,
 * and one for an invoice nobody knows), and the amounts due on 2026-04-09 are checked to the cent.
 * Tenant defaults: fine 2%, interest 1% a month, simple and pro rata per day (1%/30).
 */
const CUSTOMERS = `external_id;name;document;email;mobile;whatsapp;city;state
ana;Ana Lima;529.982.247-25;ana@example.com;(11) 98765-4321;sim;São Paulo;SP
bruno;Bruno Reis;390.533.447-05;bruno@example.com;;;Rio de Janeiro;RJ
oficina;Oficina Central Ltda;11.222.333/0001-81;financeiro@oficina.com.br;;;Campinas;SP
`;

const INVOICES = `external_id;customer_external_id;description;amount;issue_date;due_date;fine_percent;interest_percent;consumer
ana-mar;ana;Mensalidade março;1.000,00;01/03/2026;10/03/2026;;;sim
ana-mar-extra;ana;Serviço extra;500,00;01/03/2026;10/03/2026;;;sim
bruno-mar;bruno;Mensalidade março;1.200,00;01/03/2026;02/03/2026;;;sim
oficina-mar;oficina;Contrato empresarial;10.000,00;01/03/2026;31/03/2026;10;2;não
ana-multa-alta;ana;Multa acima do teto;100,00;01/03/2026;31/03/2026;10;;sim
ana-abr;ana;Mensalidade abril;1.000,00;01/04/2026;20/04/2026;;;sim
`;

const PAYMENTS = `external_id,invoice_external_id,amount,paid_at,method
pg-1,ana-mar,"1.000,00",10/03/2026,boleto
pg-2,ana-mar-extra,"200,00",2026-03-05,pix
pg-3,bruno-mar,"1.200,00",2026-03-12T15:00:00-03:00,pix
pg-4,nao-existe,"50,00",2026-03-12,transfer
`;

const ON = "2026-04-09";
let handle: DatabaseHandle;
let tenant: Tenant;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await createTenant(handle.db, {
    slug: "carteira",
    legalName: "Carteira Exemplo Ltda",
    document: "11.222.333/0001-81",
    address: "Av. Paulista, 1000, São Paulo/SP",
  });
});
afterAll(() => handle.close());

async function dueOn(externalId: string) {
  const invoice = await getInvoiceByExternalId(handle.db, tenant.id, externalId);
  return { invoice, due: await getAmountDue(handle.db, tenant, invoice.id, ON) };
}

describe("a portfolio imported from CSV", () => {
  it("imports customers, invoices and payments, with nothing rejected", async () => {
    const options = { today: "2026-03-01" };
    expect(
      await importRows(handle.db, tenant, "customers", parseCsvText(CUSTOMERS).rows, options),
    ).toMatchObject({
      inserted: 3,
      failed: 0,
    });
    expect(
      await importRows(handle.db, tenant, "invoices", parseCsvText(INVOICES).rows, options),
    ).toMatchObject({
      inserted: 6,
      failed: 0,
    });
    expect(
      // the payments are imported on the day the scenario looks at, after they happened
      await importRows(handle.db, tenant, "payments", parseCsvText(PAYMENTS).rows, { today: ON }),
    ).toMatchObject({
      inserted: 4,
      unmatched: 1,
      failed: 0,
    });
  });

  it("paid on the due date: paid, nothing due", async () => {
    const { invoice, due } = await dueOn("ana-mar");
    expect(invoice).toMatchObject({ status: "paid", paidCents: 100000 });
    expect(due.totalDueCents).toBe(0);
  });

  it("partial payment before the due date: 300,00 left, 30 days late → fine 6,00 + interest 3,00", async () => {
    const { invoice, due } = await dueOn("ana-mar-extra");
    expect(invoice).toMatchObject({ status: "open", paidCents: 20000 });
    expect(due).toMatchObject({
      outstandingPrincipalCents: 30000,
      fineCents: 600,
      interestCents: 300,
      totalDueCents: 30900,
    });
  });

  it("late payment of the face amount: charges were paid first, 28,00 of principal plus 0,26 interest remain", async () => {
    // Paid 10 days late: fine 24,00 + interest 4,00 took the first 28,00 (Código Civil art. 354); the
    // 28,00 of principal left accrues 1%/30 a day for the 28 days to Apr 9: 0,2613… → 0,26.
    const { invoice, due } = await dueOn("bruno-mar");
    expect(invoice).toMatchObject({ status: "open", paidCents: 120000 });
    expect(due).toMatchObject({
      outstandingPrincipalCents: 2800,
      fineCents: 0,
      interestCents: 26,
      totalDueCents: 2826,
    });
  });

  it("a company contract is not capped: fine 10% and 2% a month for 9 days", async () => {
    const { due } = await dueOn("oficina-mar");
    expect(due).toMatchObject({ fineCents: 100000, interestCents: 6000, totalDueCents: 1106000 });
  });

  it("a consumer's fine is capped at 2% whatever the file says (CDC art. 52 §1)", async () => {
    const { due } = await dueOn("ana-multa-alta");
    expect(due).toMatchObject({ fineCents: 200, interestCents: 30, totalDueCents: 10230 });
  });

  it("not yet due: the face amount", async () => {
    const { due } = await dueOn("ana-abr");
    expect(due).toMatchObject({ fineCents: 0, interestCents: 0, totalDueCents: 100000 });
  });

  it("the portfolio owes R$ 12.499,56 in all on that day", async () => {
    const ids = ["ana-mar", "ana-mar-extra", "bruno-mar", "oficina-mar", "ana-multa-alta", "ana-abr"];
    let total = 0;
    for (const id of ids) total += (await dueOn(id)).due.totalDueCents;
    expect(total).toBe(0 + 30900 + 2826 + 1106000 + 10230 + 100000);
  });
});
