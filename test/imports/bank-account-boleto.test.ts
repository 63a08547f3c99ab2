import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseBoleto } from "../../src/domain/boleto.ts";
import { createBankAccount } from "../../src/modules/bank-accounts/bank-account.service.ts";
import type { BankAccount } from "../../src/modules/bank-accounts/bank-account.ts";
import { createRemittance } from "../../src/modules/bank-files/remittance.service.ts";
import { createCustomer } from "../../src/modules/customers/customer.service.ts";
import { parseCsvText } from "../../src/modules/imports/csv.ts";
import { importRows } from "../../src/modules/imports/import.service.ts";
import { createInvoice } from "../../src/modules/invoices/invoice.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * Invoices imported from CSV (`regua import invoices`, `POST /v1/imports?kind=invoices`) take the
 * tenant's default bank account for their boleto exactly as `POST /v1/invoices` does: the account,
 * the our number by its bank's rules, the boleto pending until the bank confirms it, and so a place
 * in the next remittance.
 */

const TODAY = "2026-12-07";
const clock = new FixedClock("2026-12-07T13:00:00Z");
const header =
  "external_id,customer_external_id,description,amount,issue_date,due_date,fine_percent,interest_percent,consumer,typeable_line,status";
let handle: DatabaseHandle;
let tenant: Tenant;
let account: BankAccount;

beforeAll(async () => {
  handle = await openTestDatabase();
  // older boleto settings (Bradesco) AND a default Itaú account: the account wins, on both paths
  tenant = await createTenant(handle.db, {
    slug: `importa-banco-${process.pid}`,
    legalName: "Provedor Fibra Rápida Ltda",
    document: "11.222.333/0001-81",
    address: "Rua das Flores, 100, Centro, Campinas/SP, 13010-000",
    boletoBankCode: "237",
    boletoAgency: "0001",
    boletoAccount: "12345",
  });
  account = await createBankAccount(handle.db, tenant.id, {
    name: "Itaú cobrança",
    bankCode: "341",
    layout: "cnab400",
    agency: "0057",
    account: "12345",
    accountDigit: "7",
    wallet: "109",
  });
  await createCustomer(
    handle.db,
    tenant,
    {
      externalId: "C1",
      name: "Ana Souza",
      document: "529.982.247-25",
      address: { street: "Rua Um", number: "10", city: "Campinas", state: "SP", postalCode: "13010000" },
    },
    clock,
  );
});
afterAll(() => handle?.close());

async function boletoOf(externalId: string) {
  return handle.db
    .selectFrom("invoices")
    .select([
      "external_id",
      "our_number",
      "bank_account_id",
      "bank_our_number",
      "boleto_status",
      "typeable_line",
    ])
    .where("tenant_id", "=", tenant.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
}

describe("invoices imported from CSV take the default bank account's boleto", () => {
  it("gives an imported invoice the account, our number and pending boleto that POST /v1/invoices gives", async () => {
    const customer = await handle.db
      .selectFrom("customers")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    await createInvoice(
      handle.db,
      tenant,
      {
        externalId: "API-1",
        customerId: customer.id,
        amountCents: 10_000,
        issueDate: TODAY,
        dueDate: "2026-12-20",
      },
      { today: TODAY },
    );
    const csv = [header, "CSV-1,C1,Mensalidade,100.00,2026-12-07,2026-12-20,,,sim,,"].join("\n");
    const report = await importRows(handle.db, tenant, "invoices", parseCsvText(csv).rows, { today: TODAY });
    expect(report).toMatchObject({ inserted: 1, failed: 0 });

    const viaApi = await boletoOf("API-1");
    const viaCsv = await boletoOf("CSV-1");
    for (const boleto of [viaApi, viaCsv]) {
      expect(boleto).toMatchObject({ bank_account_id: account.id, boleto_status: "pending" });
      // Itaú's our number: 8 digits + DAC (mod 10 over agency, account, wallet and number)
      expect(boleto.bank_our_number).toMatch(/^\d{9}$/);
      expect(parseBoleto(boleto.typeable_line!, TODAY)).toMatchObject({
        bankCode: "341",
        amountCents: 10_000,
      });
    }
    // one sequence for both paths, each number by Itaú's rules
    expect(viaCsv.our_number).not.toBe(viaApi.our_number);
    for (const boleto of [viaApi, viaCsv])
      expect(boleto.bank_our_number!.slice(0, 8)).toBe(String(boleto.our_number).padStart(8, "0"));

    // the same file again changes nothing
    const again = await importRows(handle.db, tenant, "invoices", parseCsvText(csv).rows, { today: TODAY });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });

    // both go to the bank in the next remittance
    const remittance = await createRemittance(handle.db, tenant, account.id, clock);
    expect(remittance.counts.register).toBe(2);
  });

  it("a new due date rebuilds the boleto by the same account's rules, under the same our number", async () => {
    const before = await boletoOf("CSV-1");
    const csv = [header, "CSV-1,C1,Mensalidade,100.00,2026-12-07,2026-12-27,,,sim,,"].join("\n");
    const report = await importRows(handle.db, tenant, "invoices", parseCsvText(csv).rows, { today: TODAY });
    expect(report).toMatchObject({ updated: 1, failed: 0 });
    const after = await boletoOf("CSV-1");
    expect(after).toMatchObject({
      our_number: before.our_number,
      bank_account_id: account.id,
      bank_our_number: before.bank_our_number,
    });
    expect(after.typeable_line).not.toBe(before.typeable_line);
    expect(parseBoleto(after.typeable_line!, TODAY)).toMatchObject({
      bankCode: "341",
      dueDate: "2026-12-27",
    });
    // the bank hears of the new date in the next remittance
    const remittance = await createRemittance(handle.db, tenant, account.id, clock);
    expect(remittance.counts).toMatchObject({ change_due_date: 1, register: 0 });
  });
});
