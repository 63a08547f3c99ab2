import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * A customer file saved by Brazilian Excel (Windows-1252), by "CSV UTF-8" (with a BOM) or by any
 * other tool (UTF-8) arrives as "João" through POST /v1/imports; bytes that do not fit the charset
 * are refused with their line, never stored as "Jo�o".
 */

const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
});
afterAll(async () => api?.close());

let counter = 0;
/** One customer named João, as the bytes of `encode`. */
function joaoFile(encode: (text: string) => Buffer) {
  counter += 1;
  const externalId = `enc-${counter}`;
  const text = `external_id;name;document\r\n${externalId};João Conceição;${cpf()}\r\n`;
  return { externalId, bytes: encode(text) };
}

const utf8 = (text: string) => Buffer.from(text, "utf8");
const utf8WithBom = (text: string) =>
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
// every character of the test's text is in Latin-1, which Windows-1252 agrees with for letters
const windows1252 = (text: string) => Buffer.from(text, "latin1");

async function upload(bytes: Buffer, contentType: string) {
  const response = await fetch(`${api.server.url}/v1/imports?kind=customers&wait=true`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.key.key}`, "content-type": contentType },
    body: bytes,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  const body: any = await response.json();
  return { status: response.status, body };
}

async function storedName(externalId: string) {
  const found = await api.call(api.key, "GET", `/v1/customers?externalId=${externalId}`);
  const byList = (found.body.data ?? []).find(
    (customer: { externalId: string }) => customer.externalId === externalId,
  );
  if (byList) return byList.name as string;
  const row = await api.handle.db
    .selectFrom("customers")
    .select("name")
    .where("tenant_id", "=", api.tenant.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  return row.name;
}

describe("POST /v1/imports reads João in every encoding", () => {
  it.each([
    ["UTF-8, detected", utf8, "text/csv"],
    ["UTF-8 with BOM, detected", utf8WithBom, "text/csv"],
    ["Windows-1252, detected", windows1252, "text/csv"],
    ["UTF-8, declared", utf8, "text/csv; charset=utf-8"],
    ["Windows-1252, declared", windows1252, "text/csv; charset=windows-1252"],
    ["Latin-1, declared as ISO-8859-1", windows1252, 'text/csv; charset="ISO-8859-1"'],
  ])("%s", async (_label, encode, contentType) => {
    const { externalId, bytes } = joaoFile(encode);
    const done = await upload(bytes, contentType);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.report).toMatchObject({ inserted: 1, failed: 0 });
    expect(await storedName(externalId)).toBe("João Conceição");
  });

  it("refuses Latin-1 bytes declared as UTF-8, naming the line, and stores nothing", async () => {
    counter += 1;
    const text = `external_id;name;document\nenc-ok-${counter};Ana;${cpf()}\nenc-bad-${counter};João;${cpf()}\n`;
    const done = await upload(windows1252(text), "text/csv; charset=utf-8");
    expect(done.status).toBe(400);
    expect(done.body.error.field).toBe("body");
    expect(done.body.error.message).toMatch(/linha 3 tem bytes que não são UTF-8/);
    const rows = await api.handle.db
      .selectFrom("customers")
      .select("external_id")
      .where("tenant_id", "=", api.tenant.id)
      .where("external_id", "in", [`enc-ok-${counter}`, `enc-bad-${counter}`])
      .execute();
    expect(rows).toEqual([]);
  });

  it("refuses a file that already carries replacement characters (an earlier lossy save)", async () => {
    const text = `external_id;name;document\nenc-lost;Jo\uFFFDo;${cpf()}\n`;
    const done = await upload(utf8(text), "text/csv");
    expect(done.status).toBe(400);
    expect(done.body.error.message).toMatch(/linha 2 contém o caractere de substituição/);
  });

  it("refuses an unknown charset beside the charset parameter", async () => {
    const done = await upload(utf8("external_id;name;document\n"), "text/csv; charset=ebcdic");
    expect(done.status).toBe(400);
    expect(done.body.error.field).toBe("charset");
    expect(done.body.error.message).toMatch(/codificação 'ebcdic' desconhecida; use utf-8 ou windows-1252/);
  });

  it("names a bad row by the line a spreadsheet shows (the header is line 1)", async () => {
    counter += 1;
    const text = [
      "external_id;name;document",
      `enc-line-${counter};Ana;${cpf()}`,
      "",
      `enc-line-bad-${counter};"Bruno`,
      `Lima";111.111.111-11`,
    ].join("\n");
    const done = await upload(utf8(text), "text/csv");
    expect(done.status).toBe(200);
    expect(done.body.report.errors).toEqual([
      expect.objectContaining({ row: 2, line: 4, column: "document" }),
    ]);
  });
});
