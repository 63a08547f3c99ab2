import { afterAll, beforeAll, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * The customer list's search as an analyst types it: without accents or capitals, an e-mail, a
 * CPF or a phone with or without punctuation — on both databases (search_fold, migration 0023).
 */
let api: ApiTest<{ id: string; slug: string }>;
let vitoriaDocument: string;

async function customer(name: string, document: string, contacts: { channel: string; value: string }[]) {
  const created = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId: name.toLowerCase().replaceAll(" ", "-"), name, document, contacts },
  });
  expect(created.status, created.text).toBe(201);
}

async function found(search: string): Promise<string[]> {
  const page = await api.call(api.key, "GET", `/v1/customer-overview?search=${encodeURIComponent(search)}`);
  expect(page.status, page.text).toBe(200);
  return page.body.data.map((row: { name: string }) => row.name).sort();
}

beforeAll(async () => {
  api = await startApiTest(new FixedClock("2026-12-01T13:00:00Z"), apiTenant);
  vitoriaDocument = cpf();
  await customer("Vitória Conceição", vitoriaDocument, [
    { channel: "email", value: "vitoria.c@exemplo.com.br" },
  ]);
  await customer("Jéssica Araújo", cpf(), [{ channel: "sms", value: "+5551988068493" }]);
  await customer("JESSICA LIMA", cpf(), []);
  await customer("Joana 100% Silva", cpf(), []);
});

afterAll(() => api?.close());

it("finds names whatever the accents and capitals", async () => {
  expect(await found("vitoria")).toEqual(["Vitória Conceição"]);
  expect(await found("CONCEICAO")).toEqual(["Vitória Conceição"]);
  expect(await found("jessica")).toEqual(["JESSICA LIMA", "Jéssica Araújo"]);
  expect(await found("Jéssica")).toEqual(["JESSICA LIMA", "Jéssica Araújo"]);
});

it("finds by e-mail, by CPF and by phone, punctuated or not", async () => {
  expect(await found("VITORIA.C@exemplo")).toEqual(["Vitória Conceição"]);
  const formatted = vitoriaDocument.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, "$1.$2.$3-$4");
  expect(await found(formatted)).toEqual(["Vitória Conceição"]);
  expect(await found("(51) 98806-8493")).toEqual(["Jéssica Araújo"]);
});

it("takes what is typed literally: % and _ are not wildcards", async () => {
  expect(await found("100% s")).toEqual(["Joana 100% Silva"]);
  expect(await found("%")).toEqual(["Joana 100% Silva"]);
  expect(await found("_")).toEqual([]);
});
