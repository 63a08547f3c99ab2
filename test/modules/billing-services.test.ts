import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseBoleto } from "../../src/domain/boleto.ts";
import { parsePixPayload } from "../../src/domain/pix.ts";
import { changeContractStatus, createContract } from "../../src/modules/contracts/contract.service.ts";
import {
  createCustomer,
  getCustomer,
  listCustomers,
  optOutContact,
} from "../../src/modules/customers/customer.service.ts";
import {
  changeInvoiceStatus,
  createInvoice,
  getAmountDue,
  getInvoice,
} from "../../src/modules/invoices/invoice.service.ts";
import { listUnmatchedPayments, recordPayment } from "../../src/modules/payments/payment.service.ts";

/** When the tests' payments are recorded (the services take the instant from the clock). */
const PAYMENT_RECORDED_AT = new Date("2026-03-20T12:00:00Z");

import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import {
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "../../src/modules/tenants/api-key.service.ts";
import {
  getTenantBySlug,
  listTenants,
  updateTenantSettings,
} from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { AppError } from "../../src/shared/errors.ts";
import { openTestDatabase } from "../support/test-database.ts";

const clock = new FixedClock("2026-03-01T12:00:00Z");
const TODAY = "2026-03-01";

let handle: DatabaseHandle;
let acme: Tenant;
let beta: Tenant;

async function expectAppError(promise: Promise<unknown>, code: string, pattern: RegExp, field?: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(pattern);
  if (field) expect((error as AppError).field).toBe(field);
}

beforeAll(async () => {
  handle = await openTestDatabase();
  acme = await createTenant(handle.db, {
    slug: "acme",
    legalName: "Acme Serviços Ltda",
    document: "11.222.333/0001-81",
    address: "Av. Paulista, 1000, São Paulo/SP, 01310-100",
    boletoBankCode: "237",
    boletoAgency: "1234",
    boletoAccount: "7654321",
    pixKey: "financeiro@acme.com.br",
    pixMerchantCity: "São Paulo",
  });
  beta = await createTenant(handle.db, {
    slug: "beta",
    legalName: "Beta Ltda",
    document: "529.982.247-25",
    address: "Rua das Flores, 10, Curitiba/PR",
  });
});
afterAll(() => handle.close());

describe("tenants", () => {
  it("stores the creditor's identity and defaults, and finds tenants by slug", async () => {
    const found = await getTenantBySlug(handle.db, "acme");
    expect(found).toMatchObject({
      legalName: "Acme Serviços Ltda",
      document: "11222333000181",
      defaultFineBps: 200,
      defaultInterestMonthlyBps: 100,
      timeZone: "America/Sao_Paulo",
    });
    expect((await listTenants(handle.db)).map((tenant) => tenant.slug)).toEqual(["acme", "beta"]);
  });

  it("refuses a bad CNPJ, a missing address and a taken slug, naming the field", async () => {
    await expectAppError(
      createTenant(handle.db, {
        slug: "x1",
        legalName: "X",
        document: "11.222.333/0001-82",
        address: "Rua A, 1",
      }),
      "validation_failed",
      /^document: /,
      "document",
    );
    await expectAppError(
      createTenant(handle.db, { slug: "x2", legalName: "X", document: "11222333000181", address: "" }),
      "validation_failed",
      /endereço/,
      "address",
    );
    await expectAppError(
      createTenant(handle.db, {
        slug: "acme",
        legalName: "X",
        document: "11222333000181",
        address: "Rua A, 1",
      }),
      "conflict",
      /slug/,
    );
  });

  it("updates settings (extra holidays, rates) and validates them", async () => {
    const updated = await updateTenantSettings(handle.db, beta.id, {
      defaultInterestMonthlyBps: 150,
      extraHolidays: [{ date: "03-29", name: "Aniversário de Curitiba", state: "PR", city: "Curitiba" }],
    });
    expect(updated.defaultInterestMonthlyBps).toBe(150);
    expect(updated.extraHolidays).toEqual([
      { date: "03-29", name: "Aniversário de Curitiba", state: "PR", city: "Curitiba" },
    ]);
    await expectAppError(
      updateTenantSettings(handle.db, beta.id, { defaultFineBps: -1 }),
      "validation_failed",
      /negativo/,
      "defaultFineBps",
    );
  });
});

describe("API keys", () => {
  it("shows the key once, stores only its hash, authenticates it and stops after revocation", async () => {
    const { apiKey, plaintext } = await createApiKey(handle.db, acme.id, { name: "ERP", scope: "read" });
    expect(plaintext).toMatch(/^rg_[0-9a-z]+\.[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const stored = await handle.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", apiKey.id)
      .executeTakeFirstOrThrow();
    // the secret is what follows "rg_<prefix>_" (it may itself contain "_")
    const secret = plaintext.slice("rg_".length + apiKey.prefix.length + 1);
    expect(secret).toHaveLength(43);
    expect(stored.secret_hash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(plaintext);

    expect(await authenticateApiKey(handle.db, plaintext)).toEqual({
      tenantId: acme.id,
      scope: "read",
      keyId: apiKey.id,
    });
    const tampered = `${plaintext.slice(0, -1)}${plaintext.endsWith("A") ? "B" : "A"}`;
    expect(await authenticateApiKey(handle.db, tampered)).toBeNull();
    expect(await authenticateApiKey(handle.db, "rg_nope")).toBeNull();

    await revokeApiKey(handle.db, acme.id, apiKey.prefix);
    expect(await authenticateApiKey(handle.db, plaintext)).toBeNull();
    expect((await listApiKeys(handle.db, acme.id))[0]!.revokedAt).toBeInstanceOf(Date);
  });

  it("cannot revoke another tenant's key", async () => {
    const { apiKey, plaintext } = await createApiKey(handle.db, acme.id, { name: "app" });
    await expectAppError(revokeApiKey(handle.db, beta.id, apiKey.prefix), "not_found", /Chave de API/);
    expect(await authenticateApiKey(handle.db, plaintext)).toMatchObject({
      tenantId: acme.id,
      scope: "write",
    });
  });
});

describe("customers", () => {
  it("derives person/company and the time zone from the document and UF, and normalises contacts", async () => {
    const customer = await createCustomer(
      handle.db,
      acme,
      {
        externalId: "cli-1",
        name: "Ana Souza",
        document: "529.982.247-25",
        address: { city: "Rio Branco", state: "ac", postalCode: "69900000" },
        contacts: [
          { channel: "email", value: "Ana@Example.COM" },
          { channel: "sms", value: "(68) 99999-1234", verifiedOwner: true },
          { channel: "whatsapp", value: "+55 68 99999-1234", consent: true },
        ],
        tags: ["vip", "vip", "atacado"],
      },
      clock,
    );
    expect(customer).toMatchObject({
      kind: "person",
      document: "52998224725",
      timeZone: "America/Rio_Branco",
      tags: ["atacado", "vip"],
      address: { state: "AC", postalCode: "69900-000" },
    });
    expect(
      customer.contacts.map((contact) => [contact.channel, contact.value, contact.verifiedOwner]),
    ).toEqual(
      expect.arrayContaining([
        ["email", "ana@example.com", false],
        ["sms", "+5568999991234", true],
        ["whatsapp", "+5568999991234", false],
      ]),
    );
    expect(customer.contacts.find((contact) => contact.channel === "whatsapp")!.consentAt).toEqual(
      clock.now(),
    );

    const company = await createCustomer(
      handle.db,
      acme,
      { externalId: "cli-2", name: "Loja X", document: "12ABC34501DE35" },
      clock,
    );
    expect(company.kind).toBe("company");
  });

  it("refuses a landline as mobile, a kind that contradicts the document and a repeated external id", async () => {
    await expectAppError(
      createCustomer(
        handle.db,
        acme,
        {
          externalId: "c9",
          name: "X",
          document: "52998224725",
          contacts: [{ channel: "sms", value: "(11) 3333-4444" }],
        },
        clock,
      ),
      "validation_failed",
      /celular inválido/,
      "contacts.0.value",
    );
    await expectAppError(
      createCustomer(
        handle.db,
        acme,
        { externalId: "c9", name: "X", document: "52998224725", kind: "company" },
        clock,
      ),
      "validation_failed",
      /não combina/,
      "kind",
    );
    await expectAppError(
      createCustomer(handle.db, acme, { externalId: "cli-1", name: "X", document: "52998224725" }, clock),
      "conflict",
      /cli-1/,
    );
  });

  it("records an opt-out at the clock's time", async () => {
    const [customer] = await listCustomers(handle.db, acme.id, { tag: "vip" });
    const email = customer!.contacts.find((contact) => contact.channel === "email")!;
    const after = await optOutContact(handle.db, acme.id, email.id, clock, { source: "api", actorId: null });
    expect(after.optedOutAt).toEqual(clock.now());
  });
});

describe("invoices", () => {
  it("generates a valid boleto and Pix payload from the tenant's settings", async () => {
    const invoice = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-1",
        customerExternalId: "cli-1",
        amountCents: 123456,
        issueDate: TODAY,
        dueDate: "2026-03-20",
      },
      { today: TODAY },
    );
    expect(invoice.ourNumber).toBe(1);
    const boleto = parseBoleto(invoice.typeableLine!, TODAY);
    expect(boleto).toMatchObject({
      kind: "bank",
      bankCode: "237",
      amountCents: 123456,
      dueDate: "2026-03-20",
    });
    expect(boleto.barcode).toBe(invoice.barcode);
    expect(boleto.barcode.slice(19)).toBe("1234" + "09" + "00000000001" + "7654321" + "0");
    const pix = parsePixPayload(invoice.pixPayload!);
    expect(pix).toMatchObject({
      key: "financeiro@acme.com.br",
      amount: "1234.56",
      city: "SAO PAULO",
      txid: "fat1",
    });

    const second = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-2",
        customerExternalId: "cli-1",
        amountCents: 5000,
        issueDate: TODAY,
        dueDate: "2026-03-20",
      },
      { today: TODAY },
    );
    expect(second.ourNumber).toBe(2);
  });

  it("checks a given typeable line against the invoice's amount and due date", async () => {
    const line = (await getInvoiceByExternal("fat-1")).typeableLine!;
    await expectAppError(
      createInvoice(
        handle.db,
        acme,
        {
          externalId: "fat-3",
          customerExternalId: "cli-1",
          amountCents: 999,
          issueDate: TODAY,
          dueDate: "2026-03-20",
          typeableLine: line,
        },
        { today: TODAY },
      ),
      "validation_failed",
      /boleto é de R\$\s1\.234,56/,
      "typeableLine",
    );
    const broken = `${line.slice(0, 9)}${(Number(line[9]) + 1) % 10}${line.slice(10)}`;
    await expectAppError(
      createInvoice(
        handle.db,
        acme,
        {
          externalId: "fat-3",
          customerExternalId: "cli-1",
          amountCents: 123456,
          issueDate: TODAY,
          dueDate: "2026-03-20",
          typeableLine: broken,
        },
        { today: TODAY },
      ),
      "validation_failed",
      /./,
      "typeableLine",
    );
  });

  it("refuses a due date before the issue date and an unknown customer", async () => {
    await expectAppError(
      createInvoice(
        handle.db,
        acme,
        {
          externalId: "x",
          customerExternalId: "cli-1",
          amountCents: 100,
          issueDate: "2026-03-10",
          dueDate: "2026-03-01",
        },
        { today: TODAY },
      ),
      "validation_failed",
      /vencimento anterior/,
      "dueDate",
    );
    await expectAppError(
      createInvoice(
        handle.db,
        acme,
        { externalId: "x", customerExternalId: "nobody", amountCents: 100, issueDate: TODAY, dueDate: TODAY },
        { today: TODAY },
      ),
      "not_found",
      /nobody/,
      "customerExternalId",
    );
  });

  it("allows open → cancelled and refuses every move out of cancelled or into paid by hand", async () => {
    const invoice = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-c",
        customerExternalId: "cli-1",
        amountCents: 1000,
        issueDate: TODAY,
        dueDate: TODAY,
      },
      { today: TODAY },
    );
    await expectAppError(
      changeInvoiceStatus(handle.db, acme.id, invoice.id, "paid"),
      "invalid_transition",
      /registre o pagamento/,
    );
    const cancelled = await changeInvoiceStatus(handle.db, acme.id, invoice.id, "cancelled");
    expect(cancelled.status).toBe("cancelled");
    await expectAppError(
      changeInvoiceStatus(handle.db, acme.id, invoice.id, "open"),
      "invalid_transition",
      /cancelada e não pode passar a em aberto/,
      "status",
    );
    await expectAppError(
      changeInvoiceStatus(handle.db, acme.id, invoice.id, "renegotiated"),
      "invalid_transition",
      /renegociada/,
    );
  });

  it("inherits rates from the contract, then the tenant", async () => {
    const customer = await getCustomerByExternal("cli-2");
    const contract = await createContract(handle.db, acme.id, {
      externalId: "ct-1",
      customerId: customer.id,
      plan: "Empresarial",
      consumer: false,
      fineBps: 1000,
      interestMonthlyBps: 300,
    });
    const invoice = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-k",
        customerId: customer.id,
        contractId: contract.id,
        amountCents: 100000,
        issueDate: "2026-02-01",
        dueDate: "2026-03-02",
      },
      { today: TODAY },
    );
    expect(invoice.consumer).toBe(false);
    // 10 days late: fine 10% (not capped: not a consumer) and 3% a month pro rata (10/30).
    const due = await getAmountDue(handle.db, acme, invoice.id, "2026-03-12");
    expect(due).toMatchObject({ fineCents: 10000, interestCents: 1000, totalDueCents: 111000 });

    await changeContractStatus(handle.db, acme.id, contract.id, "cancelled");
    await expectAppError(
      changeContractStatus(handle.db, acme.id, contract.id, "active"),
      "invalid_transition",
      /cancelled/,
    );
  });
  it("creates invoices sent at the same time together, each with its own answer and boleto number", async () => {
    // concurrent calls share one INSERT (see GroupWriter): each must still get its own outcome
    const cli1 = await getCustomerByExternal("cli-1");
    const cli2 = await getCustomerByExternal("cli-2");
    const contractOfCli2 = await createContract(handle.db, acme.id, {
      externalId: "ct-together",
      customerId: cli2.id,
      plan: "Residencial",
    });
    const invoiceOf = (externalId: string, extra: Record<string, unknown> = {}) =>
      createInvoice(
        handle.db,
        acme,
        {
          externalId,
          customerId: cli1.id,
          amountCents: 1000 + Number(externalId.replace(/\D/g, "") || 0),
          issueDate: TODAY,
          dueDate: "2026-04-10",
          ...extra,
        },
        { today: TODAY },
      );
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, index) => invoiceOf(`lote-${index}`)),
      invoiceOf("lote-3", { amountCents: 777 }), // the same external id as one above
      invoiceOf("lote-x1", { customerId: undefined, customerExternalId: "nao-existe" }),
      invoiceOf("lote-x2", { contractId: contractOfCli2.id }), // another customer's contract
      invoiceOf("lote-x3", {
        customerId: undefined,
        customerExternalId: "cli-2",
        contractId: contractOfCli2.id,
      }),
    ]);
    const created = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [(outcome.reason as AppError).code] : [],
    );
    expect(created.map((invoice) => invoice.externalId).sort()).toEqual(
      [...Array.from({ length: 12 }, (_, index) => `lote-${index}`), "lote-x3"].sort(),
    );
    expect(refused.sort()).toEqual(["conflict", "not_found", "validation_failed"]);
    const lote3 = created.find((invoice) => invoice.externalId === "lote-3")!;
    expect(lote3.amountCents).toBe(1003); // the first call's invoice, not the repeated one's
    expect(created.find((invoice) => invoice.externalId === "lote-x3")!.contractId).toBe(contractOfCli2.id);
    const numbers = created.map((invoice) => invoice.ourNumber);
    expect(new Set(numbers).size).toBe(created.length);
    for (const invoice of created) {
      expect(parseBoleto(invoice.typeableLine!, TODAY)).toMatchObject({ amountCents: invoice.amountCents });
    }
  });
});

describe("payments", () => {
  it("applies a partial payment, then completes the invoice; the same payment again changes nothing", async () => {
    const invoice = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-p",
        customerExternalId: "cli-1",
        amountCents: 30000,
        issueDate: TODAY,
        dueDate: "2026-03-10",
      },
      { today: TODAY },
    );
    const first = await recordPayment(
      handle.db,
      acme,
      {
        externalId: "pg-1",
        invoiceExternalId: "fat-p",
        amountCents: 10000,
        method: "pix",
        paidAt: new Date("2026-03-05T13:00:00-03:00"),
      },
      PAYMENT_RECORDED_AT,
    );
    expect(first.created).toBe(true);
    expect(first.invoice).toMatchObject({ status: "open", paidCents: 10000, paidAt: null });

    const again = await recordPayment(
      handle.db,
      acme,
      {
        externalId: "pg-1",
        invoiceExternalId: "fat-p",
        amountCents: 10000,
        method: "pix",
        paidAt: new Date("2026-03-05T13:00:00-03:00"),
      },
      PAYMENT_RECORDED_AT,
    );
    expect(again.created).toBe(false);
    expect(again.payment.id).toBe(first.payment.id);
    expect(again.invoice).toEqual(first.invoice);

    await expectAppError(
      recordPayment(
        handle.db,
        acme,
        {
          externalId: "pg-1",
          invoiceExternalId: "fat-p",
          amountCents: 20000,
          paidAt: new Date("2026-03-05T13:00:00-03:00"),
        },
        PAYMENT_RECORDED_AT,
      ),
      "conflict",
      /outros dados/,
      "externalId",
    );

    const paidAt = new Date("2026-03-10T18:00:00-03:00");
    const last = await recordPayment(
      handle.db,
      acme,
      {
        externalId: "pg-2",
        invoiceId: invoice.id,
        amountCents: 20000,
        paidAt,
      },
      PAYMENT_RECORDED_AT,
    );
    expect(last.invoice).toMatchObject({ status: "paid", paidCents: 30000, paidAt });
    expect((await getAmountDue(handle.db, acme, invoice.id, "2026-06-01")).totalDueCents).toBe(0);
  });

  it("charges fine and interest first when the payment is late (Código Civil art. 354)", async () => {
    const invoice = await createInvoice(
      handle.db,
      acme,
      {
        externalId: "fat-l",
        customerExternalId: "cli-1",
        amountCents: 120000,
        issueDate: TODAY,
        dueDate: "2026-03-02",
      },
      { today: TODAY },
    );
    // 10 days late: fine 2% = 24,00; interest 1%/month × 10/30 = 4,00; the face amount leaves 28,00 owed.
    const report = await recordPayment(
      handle.db,
      acme,
      {
        externalId: "pg-l",
        invoiceExternalId: "fat-l",
        amountCents: 120000,
        paidAt: new Date("2026-03-12T12:00:00-03:00"),
      },
      PAYMENT_RECORDED_AT,
    );
    expect(report.invoice!.status).toBe("open");
    const due = await getAmountDue(handle.db, acme, invoice.id, "2026-03-12");
    expect(due).toMatchObject({
      outstandingPrincipalCents: 2800,
      fineCents: 0,
      interestCents: 0,
      totalDueCents: 2800,
    });
  });

  it("keeps a payment for an unknown invoice, unmatched, for reconciliation", async () => {
    const report = await recordPayment(
      handle.db,
      acme,
      {
        externalId: "pg-x",
        invoiceExternalId: "does-not-exist",
        amountCents: 777,
        paidAt: new Date("2026-03-05T12:00:00Z"),
      },
      PAYMENT_RECORDED_AT,
    );
    expect(report).toMatchObject({ created: true, invoice: null, payment: { invoiceId: null } });
    expect((await listUnmatchedPayments(handle.db, acme.id)).map((payment) => payment.externalId)).toEqual([
      "pg-x",
    ]);
  });
});

describe("tenant isolation", () => {
  it("tenant B can neither read nor write tenant A's customers, invoices and payments", async () => {
    const invoice = await getInvoiceByExternal("fat-1");
    await expectAppError(getInvoice(handle.db, beta.id, invoice.id), "not_found", /Fatura/);
    await expectAppError(getCustomer(handle.db, beta.id, invoice.customerId), "not_found", /Cliente/);
    await expectAppError(
      changeInvoiceStatus(handle.db, beta.id, invoice.id, "cancelled"),
      "not_found",
      /Fatura/,
    );
    await expectAppError(
      recordPayment(
        handle.db,
        beta,
        {
          externalId: "b1",
          invoiceId: invoice.id,
          amountCents: 1,
          paidAt: new Date("2026-03-05T12:00:00Z"),
        },
        PAYMENT_RECORDED_AT,
      ),
      "not_found",
      /fatura/,
    );
    await expectAppError(
      createInvoice(
        handle.db,
        beta,
        {
          externalId: "b-f",
          customerId: invoice.customerId,
          amountCents: 100,
          issueDate: TODAY,
          dueDate: TODAY,
        },
        { today: TODAY },
      ),
      "not_found",
      /cliente/,
    );
    // B's payment naming A's invoice by external id stays B's and unmatched; A's invoice is untouched.
    const report = await recordPayment(
      handle.db,
      beta,
      {
        externalId: "b2",
        invoiceExternalId: "fat-1",
        amountCents: 123456,
        paidAt: new Date("2026-03-05T12:00:00Z"),
      },
      PAYMENT_RECORDED_AT,
    );
    expect(report.invoice).toBeNull();
    expect((await getInvoice(handle.db, acme.id, invoice.id)).status).toBe("open");
    expect(await listCustomers(handle.db, beta.id)).toEqual([]);
  });
});

async function getInvoiceByExternal(externalId: string) {
  const row = await handle.db
    .selectFrom("invoices")
    .select("id")
    .where("tenant_id", "=", acme.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  return getInvoice(handle.db, acme.id, row.id);
}

async function getCustomerByExternal(externalId: string) {
  const row = await handle.db
    .selectFrom("customers")
    .select("id")
    .where("tenant_id", "=", acme.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  return getCustomer(handle.db, acme.id, row.id);
}
