import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePixPayload } from "../../src/domain/pix.ts";
import { issuePendingCobv, removeCobvOfClosedInvoices } from "../../src/modules/pix/pix-charge.service.ts";
import {
  cancelRecurringChargesOfClosedInvoices,
  scheduleRecurringCharges,
} from "../../src/modules/pix/pix-recurrence.service.ts";
import { syncTenantPix } from "../../src/modules/pix/pix-sync.service.ts";
import { getTenant } from "../../src/modules/tenants/tenant.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { hiddenFields, mintLinkPath, Visitor } from "../portal/portal-support.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import type { Caller } from "../support/http.ts";
import { type PixPsp, startPixPsp } from "../support/pix-psp.ts";

/**
 * Pix Cobrança (cobv) and Pix Automático against a PSP speaking the BCB standard Pix API over
 * mutual TLS (test/support/pix-psp.ts), which checks every body Régua sends against the published
 * OpenAPI schemas and notifies Régua's webhooks by HTTP POST.
 */
const clock = new FixedClock("2026-11-20T13:00:00Z"); // 10:00 in São Paulo
let t: ApiTest<{ id: string; slug: string }>;
let psp: PixPsp;
let admin: Caller;
let key: Caller;
let customerId: string;
let contractId: string;

async function newInvoice(externalId: string, amountCents: number, dueDate: string, contract = contractId) {
  const response = await t.call(key, "POST", "/v1/invoices", {
    body: { externalId, customerId, contractId: contract, amountCents, issueDate: "2026-11-01", dueDate },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

async function invoice(id: string) {
  return (await t.call(key, "GET", `/v1/invoices/${id}`)).body;
}

async function settingsBody() {
  return {
    baseUrl: psp.baseUrl,
    tokenUrl: psp.tokenUrl,
    clientId: psp.clientId,
    clientSecret: psp.clientSecret,
    certificatePem: psp.certificates.clientCertPem,
    privateKeyPem: psp.certificates.clientKeyPem,
    caPem: psp.certificates.caPem,
    receiverKey: "financeiro@fibrarapida.com.br",
    daysValidAfterDue: 30,
  };
}

beforeAll(async () => {
  t = await startApiTest(clock, apiTenant);
  psp = await startPixPsp(clock);
  process.env.REGUA_PUBLIC_URL = t.server.url;
  admin = await t.operator("admin");
  key = { key: t.key.key };
  const customer = await t.call(key, "POST", "/v1/customers", {
    body: {
      externalId: "cli-pix",
      name: "Joana Pagadora",
      document: cpf(),
      contacts: [{ channel: "email", value: "joana@exemplo.com.br" }],
    },
  });
  customerId = customer.body.id;
  const contract = await t.call(key, "POST", "/v1/contracts", {
    // a consumer contract with a 10% fine: the Pix charge must carry the CDC's 2% cap
    body: { externalId: "ctr-pix", customerId, plan: "Fibra 500", fineBps: 1000, interestMonthlyBps: 100 },
  });
  expect(contract.status, contract.text).toBe(201);
  contractId = contract.body.id;
}, 60_000);

afterAll(async () => {
  await psp?.close();
  await t?.close();
});

describe("the PSP's mutual TLS", () => {
  it("refuses a client without a certificate, or with one its CA did not sign", async () => {
    const attempt = (options: https.RequestOptions) =>
      new Promise<string>((resolve) => {
        const request = https.request(
          `${psp.tokenUrl}`,
          { method: "POST", ca: psp.certificates.caPem, ...options },
          (response) => {
            response.resume();
            response.on("end", () => resolve(`HTTP ${response.statusCode}`));
          },
        );
        request.on("error", (error) => resolve(`recusado: ${error.message}`));
        request.end("grant_type=client_credentials");
      });
    expect(await attempt({})).toMatch(/^recusado/);
    expect(
      await attempt({ cert: psp.certificates.strangerCertPem, key: psp.certificates.strangerKeyPem }),
    ).toMatch(/^recusado/);
    expect(await attempt({ cert: psp.certificates.clientCertPem, key: psp.certificates.clientKeyPem })).toBe(
      "HTTP 401",
    );
  });
});

describe("Pix settings", () => {
  it("the first save needs every connection field", async () => {
    const { clientId: _omit, ...rest } = await settingsBody();
    const response = await t.call(admin, "PATCH", "/v1/settings/pix", { body: rest });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("clientId");
  });

  it("refuses a key that is not the certificate's", async () => {
    const body = { ...(await settingsBody()), privateKeyPem: psp.certificates.strangerKeyPem };
    const response = await t.call(admin, "PATCH", "/v1/settings/pix", { body });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("privateKeyPem");
    expect(response.text).toContain("não é a do certificado");
  });

  it("saves the PSP with its secrets sealed and never shows them back", async () => {
    const body = await settingsBody();
    const saved = await t.call(admin, "PATCH", "/v1/settings/pix", { body });
    expect(saved.status, saved.text).toBe(200);
    const read = await t.call(admin, "GET", "/v1/settings/pix");
    for (const response of [saved, read]) {
      expect(response.text).not.toContain(psp.clientSecret);
      expect(response.text).not.toContain("PRIVATE KEY");
      expect(response.body.clientSecret).toMatch(/^••••/);
      expect(response.body.privateKeySet).toBe(true);
      expect(response.body.certificate.subject).toContain("Provedor Fibra Rapida");
      expect(response.body.webhookUrl).toMatch(new RegExp(`^${t.server.url}/v1/pix/webhook/pixwh_`));
    }
    const row = await t.handle.db.selectFrom("pix_settings").selectAll().executeTakeFirstOrThrow();
    expect(row.client_secret).toMatch(/^enc:v1:/);
    expect(row.private_key_pem).toMatch(/^enc:v1:/);
    // an API key may not read or change them
    expect((await t.call(key, "GET", "/v1/settings/pix")).status).toBe(403);
  });

  it("registers the webhooks at the PSP", async () => {
    const response = await t.call(admin, "POST", "/v1/settings/pix/webhook");
    expect(response.status, response.text).toBe(200);
    expect(psp.webhooks.pix).toBe(response.body.webhookUrl);
    expect(psp.webhooks.rec).toBe(`${response.body.webhookUrl}/rec`);
    expect(psp.webhooks.cobr).toBe(`${response.body.webhookUrl}/cobr`);
  });
});

describe("Pix Cobrança (cobv)", () => {
  let invoiceId: string;
  let txid: string;

  it("creates the invoice's cobv with the due date, the debtor, and fine and interest in the spec's modalities", async () => {
    invoiceId = await newInvoice("NF-PIX-1", 15_000, "2026-11-30");
    const response = await t.call(key, "PUT", `/v1/invoices/${invoiceId}/pix-charge`);
    expect(response.status, response.text).toBe(200);
    txid = response.body.txid;
    expect(txid).toMatch(/^[a-zA-Z0-9]{26,35}$/);
    const sent = psp.cobv.get(txid)!.body;
    expect(sent.calendario).toEqual({ dataDeVencimento: "2026-11-30", validadeAposVencimento: 30 });
    expect(sent.devedor.nome).toBe("Joana Pagadora");
    expect(sent.devedor.cpf).toMatch(/^\d{11}$/);
    expect(sent.valor).toEqual({
      original: "150.00",
      multa: { modalidade: 2, valorPerc: "2.00" },
      juros: { modalidade: 3, valorPerc: "1.00" },
    });
    expect(sent.chave).toBe("financeiro@fibrarapida.com.br");
    // issuing again changes nothing at the PSP: the same txid, still revision 0
    await t.call(key, "PUT", `/v1/invoices/${invoiceId}/pix-charge`);
    expect(psp.cobv.get(txid)!.revisao).toBe(0);
  });

  it("puts the dynamic BR Code (the charge's location) on the second copy and the invoice", async () => {
    const copy = await t.call(key, "GET", `/v1/invoices/${invoiceId}/second-copy`);
    expect(copy.status, copy.text).toBe(200);
    const parsed = parsePixPayload(copy.body.pixPayload);
    expect(parsed.url).toBe(psp.cobv.get(txid)!.location);
    expect(parsed.key).toBeNull();
    expect(copy.body.typeableLine).toMatch(/^\d{47}$/); // the boleto stays beside it: a hybrid document
    expect((await invoice(invoiceId)).pixPayload).toBe(copy.body.pixPayload);
    const pdf = await t.call(key, "GET", `/v1/invoices/${invoiceId}/second-copy.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toContain("application/pdf");
  });

  it("a Pix notified by webhook settles the invoice once, however often it is notified", async () => {
    const pix = await psp.pay(txid);
    const paid = await invoice(invoiceId);
    expect(paid.status).toBe("paid");
    expect(paid.paidCents).toBe(15_000);
    expect(await psp.redeliver(pix)).toBe(200);
    const payments = await t.handle.db
      .selectFrom("payments")
      .selectAll()
      .where("invoice_id", "=", invoiceId)
      .execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.method).toBe("pix");
    expect(payments[0]!.external_id).toBe(`pix:${pix.endToEndId}`);
    const charge = await t.call(key, "GET", `/v1/invoices/${invoiceId}/pix-charge`);
    expect(charge.body.charge.status).toBe("CONCLUIDA");

    // a devolução of part of it is recorded
    await psp.refund(pix, "10.00");
    const refunds = await t.call(key, "GET", "/v1/pix/refunds");
    expect(refunds.body.data).toEqual([
      expect.objectContaining({ endToEndId: pix.endToEndId, amountCents: 1000, status: "DEVOLVIDO" }),
    ]);
    expect((await t.call(key, "GET", "/v1/payments/unmatched")).body.data).toHaveLength(0);
  });

  it("carries the contract's early-payment discount (modality 1, up to its date); paid with it in time, the invoice is settled", async () => {
    const contract = await t.call(key, "POST", "/v1/contracts", {
      body: {
        externalId: "ctr-pix-desconto",
        customerId,
        plan: "Fibra 500",
        earlyDiscountBps: 500,
        earlyDiscountDays: 5,
      },
    });
    expect(contract.status, contract.text).toBe(201);
    const discounted = await newInvoice("NF-PIX-DESC", 20_000, "2026-12-10", contract.body.id);
    const charge = await t.call(key, "PUT", `/v1/invoices/${discounted}/pix-charge`);
    expect(charge.status, charge.text).toBe(200);
    // 5% of R$ 200,00 up to 5 days before the 10th: R$ 10,00 until the 5th (the boleto's same rule)
    expect(psp.cobv.get(charge.body.txid)!.body.valor.desconto).toEqual({
      modalidade: 1,
      descontoDataFixa: [{ data: "2026-12-05", valorPerc: "10.00" }],
    });
    const pix = await psp.pay(charge.body.txid);
    expect(pix.valor).toBe("190.00");
    expect(await invoice(discounted)).toMatchObject({ status: "paid", paidCents: 19_000 });
  });

  it("a late Pix brings fine and interest as the PSP priced them, and settles", async () => {
    const late = await newInvoice("NF-PIX-LATE", 10_000, "2026-11-10");
    const charge = await t.call(key, "PUT", `/v1/invoices/${late}/pix-charge`);
    expect(charge.status, charge.text).toBe(200);
    // 10 days late on 2026-11-20: 2% fine (200) + 1% a month pro rata (33)
    const pix = await psp.pay(charge.body.txid);
    expect(pix.valor).toBe("102.33");
    expect((await invoice(late)).status).toBe("paid");
  });

  it("catches up with GET /pix the Pix whose webhooks were missed while Régua was down", async () => {
    const ids = [
      await newInvoice("NF-PIX-2", 5_000, "2026-11-28"),
      await newInvoice("NF-PIX-3", 6_000, "2026-11-29"),
      await newInvoice("NF-PIX-4", 7_000, "2026-12-01"),
    ];
    // the worker creates the cobv of new invoices
    const tenant = await getTenant(t.handle.db, t.tenant.id);
    const issued = await issuePendingCobv(t.handle.db, tenant, clock);
    expect(issued).toEqual({ issued: 3, failed: [] });
    clock.set("2026-11-21T12:00:00Z");
    for (const id of ids) {
      const charge = (await t.call(key, "GET", `/v1/invoices/${id}/pix-charge`)).body.charge;
      await psp.pay(charge.txid, { deliver: false });
    }
    for (const id of ids) expect((await invoice(id)).status).toBe("open");
    admin = await t.operator("admin"); // a day later: a new session
    const sweep = await t.call(admin, "POST", "/v1/pix/sweep", {
      body: { from: "2026-11-21T00:00:00-03:00", to: "2026-11-21T23:59:59-03:00" },
    });
    expect(sweep.status, sweep.text).toBe(200);
    expect(sweep.body).toMatchObject({ seen: 3, applied: 3, unmatched: 0 });
    for (const id of ids) expect((await invoice(id)).status).toBe("paid");
    const again = await t.call(admin, "POST", "/v1/pix/sweep", {
      body: { from: "2026-11-21T00:00:00-03:00", to: "2026-11-21T23:59:59-03:00" },
    });
    expect(again.body).toMatchObject({ seen: 3, applied: 0 });
  });

  it("a Pix for a txid Régua never issued, or for another amount, waits for reconciliation", async () => {
    await psp.payUnknown("12.34", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
    const other = await newInvoice("NF-PIX-5", 8_000, "2026-11-30");
    const charge = (await t.call(key, "PUT", `/v1/invoices/${other}/pix-charge`)).body;
    await psp.pay(charge.txid, { valor: "70.00" });
    expect((await invoice(other)).status).toBe("open");
    const unmatched = (await t.call(key, "GET", "/v1/payments/unmatched")).body.data;
    expect(
      unmatched.map((payment: { invoiceExternalId: string; amountCents: number }) => [
        payment.invoiceExternalId,
        payment.amountCents,
      ]),
    ).toEqual([
      ["pix:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", 1234],
      [`pix:${charge.txid}`, 7000],
    ]);
  });

  it("a boleto paid removes the invoice's cobv at the PSP", async () => {
    const id = await newInvoice("NF-PIX-6", 9_000, "2026-12-05");
    const charge = (await t.call(key, "PUT", `/v1/invoices/${id}/pix-charge`)).body;
    const paid = await t.call(key, "POST", "/v1/payments", {
      body: {
        externalId: "boleto-6",
        invoiceId: id,
        amountCents: 9_000,
        method: "boleto",
        paidAt: "2026-11-21T11:00:00-03:00",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    const tenant = await getTenant(t.handle.db, t.tenant.id);
    const removed = await removeCobvOfClosedInvoices(t.handle.db, tenant, clock);
    expect(removed.removed).toEqual([charge.txid]);
    expect(psp.cobv.get(charge.txid)!.status).toBe("REMOVIDA_PELO_USUARIO_RECEBEDOR");
    expect((await t.call(key, "GET", `/v1/invoices/${id}/pix-charge`)).body.charge.status).toBe(
      "REMOVIDA_PELO_USUARIO_RECEBEDOR",
    );
    // nothing left to remove
    expect((await removeCobvOfClosedInvoices(t.handle.db, tenant, clock)).removed).toEqual([]);
  });
});

describe("Pix Automático", () => {
  it("authorise by QR: the recurrence is approved and each charge goes to the PSP 2–10 days ahead", async () => {
    const contract = await t.call(key, "POST", "/v1/contracts", {
      body: { externalId: "ctr-auto", customerId, plan: "Fibra 1G" },
    });
    const first = await newInvoice("NF-AUTO-1", 12_000, "2026-12-10", contract.body.id);
    const offered = await t.call(key, "POST", `/v1/contracts/${contract.body.id}/pix-recurrence`, {
      body: { journey: "authorise" },
    });
    expect(offered.status, offered.text).toBe(201);
    expect(offered.body.status).toBe("CRIADA");
    const rec = psp.recs.get(offered.body.recId)!;
    expect(rec.body.vinculo.contrato).toBe("ctr-auto");
    expect(rec.body.calendario).toEqual({ dataInicial: "2026-12-10", periodicidade: "MENSAL" });
    expect(rec.body.politicaRetentativa).toBe("NAO_PERMITE");
    expect(parsePixPayload(offered.body.pixCopyPaste).url).toBe(rec.location);
    // asking again returns the same recurrence
    const again = await t.call(key, "POST", `/v1/contracts/${contract.body.id}/pix-recurrence`, { body: {} });
    expect(again.body.id).toBe(offered.body.id);

    expect(await psp.answerRecurrence(offered.body.recId, "APROVADA")).toBe(200);
    const live = await t.call(key, "GET", `/v1/contracts/${contract.body.id}/pix-recurrence`);
    expect(live.body.recurrence.status).toBe("APROVADA");

    const tenant = await getTenant(t.handle.db, t.tenant.id);
    // 2026-11-21: the 2026-12-10 invoice is 19 days ahead, not yet
    expect(await scheduleRecurringCharges(t.handle.db, tenant, clock)).toEqual({ scheduled: 0 });
    clock.set("2026-12-03T12:00:00Z");
    expect(await scheduleRecurringCharges(t.handle.db, tenant, clock)).toEqual({ scheduled: 1 });
    const [cobr] = [...psp.cobr.values()];
    expect(cobr!.body).toMatchObject({
      idRec: offered.body.recId,
      calendario: { dataDeVencimento: "2026-12-10" },
      valor: { original: "120.00" },
      ajusteDiaUtil: true,
      recebedor: { conta: "1234567", tipoConta: "CORRENTE", agencia: "1234" },
    });
    expect(await scheduleRecurringCharges(t.handle.db, tenant, clock)).toEqual({ scheduled: 0 });

    clock.set("2026-12-10T12:00:00Z");
    await psp.settleCobr(cobr!.txid);
    expect((await invoice(first)).status).toBe("paid");
    expect((await cancelRecurringChargesOfClosedInvoices(t.handle.db, tenant, clock)).cancelled).toEqual([]);
  });

  it("pay then authorise: the QR is the first invoice's cobv; a rejection falls back to boleto and Pix and tells the debtor", async () => {
    const contract = await t.call(key, "POST", "/v1/contracts", {
      body: { externalId: "ctr-auto-2", customerId, plan: "Fibra 300" },
    });
    const first = await newInvoice("NF-AUTO-2", 9_900, "2026-12-20", contract.body.id);
    const offered = await t.call(key, "POST", `/v1/contracts/${contract.body.id}/pix-recurrence`, {
      body: { journey: "pay_then_authorise" },
    });
    expect(offered.status, offered.text).toBe(201);
    const cobv = (await t.call(key, "GET", `/v1/invoices/${first}/pix-charge`)).body.charge;
    expect(parsePixPayload(offered.body.pixCopyPaste).url).toBe(cobv.location);

    await psp.answerRecurrence(offered.body.recId, "REJEITADA", "AP13");
    const ended = await t.handle.db
      .selectFrom("pix_recurrences")
      .selectAll()
      .where("id", "=", offered.body.id)
      .executeTakeFirstOrThrow();
    expect(ended).toMatchObject({ status: "REJEITADA", end_code: "AP13" });
    expect(ended.fallback_notified_at).not.toBeNull();
    const told = await t.handle.db
      .selectFrom("dunning_actions")
      .select(["template", "customer_id"])
      .where("template", "=", "email.pix-automatico-encerrado")
      .execute();
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((action) => action.customer_id === customerId)).toBe(true);
    // the fallback: the invoice keeps its boleto and its cobv
    const copy = await t.call(key, "GET", `/v1/invoices/${first}/second-copy`);
    expect(copy.body.typeableLine).toMatch(/^\d{47}$/);
    expect(parsePixPayload(copy.body.pixPayload).url).toBe(cobv.location);
    // a repeated notification does not tell the debtor twice
    await psp.answerRecurrence(offered.body.recId, "REJEITADA", "AP13");
    const toldAgain = await t.handle.db
      .selectFrom("dunning_actions")
      .select("id")
      .where("template", "=", "email.pix-automatico-encerrado")
      .execute();
    expect(toldAgain).toHaveLength(told.length);
    // and the contract may be offered again
    expect(
      (await t.call(key, "GET", `/v1/contracts/${contract.body.id}/pix-recurrence`)).body.recurrence,
    ).toBeNull();
  });
});

describe("the portal's Pix Automático page", () => {
  it("offers each active contract by QR Code, and shows the ones already authorised", async () => {
    const contract = await t.call(key, "POST", "/v1/contracts", {
      body: { externalId: "ctr-portal", customerId, plan: "Fibra Portal" },
    });
    await newInvoice("NF-PORTAL-1", 7_700, "2026-12-28", contract.body.id);
    const document = (await t.call(key, "GET", `/v1/customers/${customerId}`)).body.document as string;
    const visitor = new Visitor(t.server);
    const entered = await visitor.enter(
      await mintLinkPath(t.call, key as { key: string }, customerId),
      document.replace(/\D/g, "").slice(0, 5),
    );
    expect(entered.status, entered.text).toBeLessThan(400);
    const listing = await visitor.get("/portal/pix-automatico");
    expect(listing.status, listing.text).toBe(200);
    expect(listing.text).toContain('href="/portal/pix-automatico"');
    expect(listing.text).toContain("Contrato Fibra 1G (ctr-auto)");
    expect(listing.text).toContain("Autorizado: as faturas serão debitadas no vencimento");
    expect(listing.text).toContain("Contrato Fibra Portal (ctr-portal)");
    const forms = [
      ...listing.text.matchAll(/<form method="post" action="\/portal\/pix-automatico">(.*?)<\/form>/g),
    ]
      .map((match) => hiddenFields(match[1]!))
      .filter((fields) => fields.contrato === contract.body.id && fields.jornada === "authorise");
    expect(forms).toHaveLength(1);
    const offered = await visitor.post("/portal/pix-automatico", forms[0]!);
    expect(offered.status, offered.text).toBe(200);
    expect(offered.text).toContain("Leia o QR Code no app do seu banco");
    expect(offered.text).toContain("<svg");
    const code = /<textarea id="pix-automatico"[^>]*>([^<]+)<\/textarea>/.exec(offered.text)![1]!;
    const rec = [...psp.recs.values()].find((candidate) => candidate.body.vinculo.contrato === "ctr-portal")!;
    expect(parsePixPayload(code).url).toBe(rec.location);
    // without the session's CSRF token nothing is created
    const forged = await visitor.post("/portal/pix-automatico", { ...forms[0]!, csrf: "forjado" });
    expect(forged.status).toBe(403);
  });
});

describe("the worker's pass", () => {
  it("creates the cobv of new invoices and sweeps from where the last sweep ended", async () => {
    const id = await newInvoice("NF-PIX-SYNC", 4_400, "2026-12-20");
    const report = await syncTenantPix(t.handle.db, t.tenant.id, clock);
    expect(report.errors).toEqual([]);
    expect(report.issued).toBe(2); // this invoice and the portal test's, both still without a cobv
    expect(report.sweep).toMatchObject({ to: clock.now().toISOString() });
    const charge = (await t.call(key, "GET", `/v1/invoices/${id}/pix-charge`)).body.charge;
    await psp.pay(charge.txid, { deliver: false });
    clock.set("2026-12-10T12:05:00Z");
    const next = await syncTenantPix(t.handle.db, t.tenant.id, clock);
    // the sweep's window starts where the last one ended (overlapping Pix are already recorded)
    expect(next.sweep).toMatchObject({ from: report.sweep!.to, applied: 1 });
    expect((await invoice(id)).status).toBe("paid");
  });
});

describe("an invoice an agreement replaces", () => {
  it("gets no cobv: the agreement's installments are what is charged", async () => {
    const original = await newInvoice("NF-PIX-ACORDO", 60_000, "2026-11-20");
    const proposed = await t.call(key, "POST", "/v1/agreements", {
      body: { customerId, invoiceIds: [original], installments: 2 },
    });
    expect(proposed.status, proposed.text).toBe(201);
    const refused = await t.call(key, "PUT", `/v1/invoices/${original}/pix-charge`);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.message).toContain("está em acordo");
    const report = await syncTenantPix(t.handle.db, t.tenant.id, clock);
    expect(report.errors).toEqual([]);
    expect((await t.call(key, "GET", `/v1/invoices/${original}/pix-charge`)).body.charge).toBeNull();
    // the installments not yet past their validity got theirs
    expect(report.issued).toBeGreaterThanOrEqual(1);
  });
});

describe("the PSP's view of everything Régua sent", () => {
  it("every request body matched the BCB Pix API's OpenAPI schemas, and a token served until it expired", () => {
    expect(psp.invalid).toEqual([]);
    expect(psp.requests.length).toBeGreaterThan(15);
    // tokens live an hour: one for each of the four days the clock visited, however many calls
    expect(psp.tokensIssued).toBe(4);
  });
});
