import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The pinned Node 24 (type stripping) runs the CLI; fall back to it if vitest was started by an older node.
const pinnedNode = resolve("node_modules/.bin/node");
const nodeBinary =
  Number(process.versions.node.split(".")[0]) >= 22 || !existsSync(pinnedNode)
    ? process.execPath
    : pinnedNode;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function regua(...args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      nodeBinary,
      ["src/cli/main.ts", ...args],
      { env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function reguaJson(...args: string[]): Promise<{ code: number; json: unknown }> {
  const result = await regua(...args, "--json");
  return { code: result.code, json: JSON.parse(result.stdout) };
}

// Vectors: Asaas API reference boleto (BB, R$ 50,00, due 2021-10-30); BCB Pix manual static example;
// DOMAIN.md's 2026 calendar; hand-worked late charges (see test/domain/late-charges.test.ts).
describe("regua boleto", () => {
  it("reads a published bank line", async () => {
    expect(
      await reguaJson(
        "boleto",
        "00190.00009 02759.288000 21932.978170 1 87890000005000",
        "--today",
        "2026-11-23",
      ),
    ).toEqual({
      code: 0,
      json: {
        valid: true,
        kind: "bank",
        barcode: "00191878900000050000000002759288002193297817",
        typeableLine: "00190000090275928800021932978170187890000005000",
        amountCents: 5000,
        dueDate: "2021-10-30",
      },
    });
  });

  it("reads a collection line", async () => {
    const { json } = await reguaJson("boleto", "82660000001-0 23450001012-4 34567890123-1 45678901234-5");
    expect(json).toMatchObject({ valid: true, kind: "collection", amountCents: 12345, dueDate: null });
  });

  it("fails with exit code 1 and the reason on a wrong check digit", async () => {
    expect(await reguaJson("boleto", "00190000090275928800021932978170287890000005000")).toEqual({
      code: 1,
      json: {
        valid: false,
        error: "dígito verificador geral da linha digitável não confere: esperado 1, recebido 2",
      },
    });
    const plain = await regua("boleto", "123");
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("boleto com 3 dígitos");
  });

  it("prints a readable summary without --json", async () => {
    const result = await regua(
      "boleto",
      "00190000090275928800021932978170187890000005000",
      "--today",
      "2021-10-01",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Valor:            R$ 50,00");
    expect(result.stdout).toContain("Vencimento:       30/10/2021");
  });
});

describe("regua pix", () => {
  const manualStatic =
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";

  it("reads the BCB manual's static example", async () => {
    expect(await reguaJson("pix", manualStatic)).toEqual({
      code: 0,
      json: {
        valid: true,
        key: "123e4567-e12b-12d1-a456-426655440000",
        amount: null,
        name: "Fulano de Tal",
        city: "BRASILIA",
        txid: "***",
        crc: "1D3D",
      },
    });
  });

  it("reads the manual's example with txid RP12345678-2019, and warns", async () => {
    const example =
      "00020101021226720014br.gov.bcb.pix2550bx.com.br/pix/8b3da2f3-9a41-40d1-a91a-bd93113bd4415204000053039865406123.455802BR5913Fulano de Tal6008BRASILIA62190515RP12345678-2019630445C8";
    const { code, json } = await reguaJson("pix", example);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      valid: true,
      url: "bx.com.br/pix/8b3da2f3-9a41-40d1-a91a-bd93113bd441",
      amount: "123.45",
      txid: "RP12345678-2019",
      warnings: [expect.stringContaining("fora do padrão")],
    });
  });

  it("fails on a bad CRC", async () => {
    const { code, json } = await reguaJson("pix", manualStatic.replace("1D3D", "1D3E"));
    expect(code).toBe(1);
    expect(json).toEqual({
      valid: false,
      error: "CRC do Pix não confere: calculado 1D3D, informado 1D3E (código alterado ou incompleto)",
    });
  });
});

describe("regua holidays", () => {
  it("lists 2026's national bank holidays, with the state's when asked", async () => {
    const national = await reguaJson("holidays", "2026");
    expect(national.code).toBe(0);
    const dates = (national.json as { date: string; name: string }[]).map((holiday) => holiday.date);
    expect(dates).toEqual(
      expect.arrayContaining(["2026-02-16", "2026-02-17", "2026-04-03", "2026-06-04", "2026-11-20"]),
    );
    expect(dates).not.toContain("2026-07-09");
    const sp = (await reguaJson("holidays", "2026", "--state", "SP")).json as {
      date: string;
      name: string;
    }[];
    expect(sp).toContainEqual({ date: "2026-07-09", name: "Revolução Constitucionalista de 1932" });
    expect(sp).toHaveLength(dates.length + 1);
  });

  it("refuses a bad year or state", async () => {
    expect(await reguaJson("holidays", "26")).toEqual({
      code: 1,
      json: { valid: false, error: 'ano "26" inválido: use 4 dígitos a partir de 1583 (ex.: 2026)' },
    });
    expect(await reguaJson("holidays", "2026", "--state", "XX")).toEqual({
      code: 1,
      json: { valid: false, error: 'UF "XX" desconhecida: use a sigla do estado (ex.: SP, RJ, MG)' },
    });
  });
});

describe("regua charges", () => {
  it("computes fine and daily interest (R$ 100,00, 30 days, 2% + 1% a month)", async () => {
    expect(
      await reguaJson("charges", "--amount", "100.00", "--due", "2026-03-10", "--on", "2026-04-09"),
    ).toEqual({
      code: 0,
      json: { daysLate: 30, principalCents: 10000, fineCents: 200, interestCents: 100, totalCents: 10300 },
    });
  });

  it("caps the consumer fine at 2% unless --company", async () => {
    const args = [
      "charges",
      "--amount",
      "1.000,00",
      "--due",
      "10/03/2026",
      "--on",
      "2026-03-20",
      "--fine",
      "10",
      "--interest",
      "0",
    ];
    expect((await reguaJson(...args)).json).toMatchObject({
      fineCents: 2000,
      interestCents: 0,
      totalCents: 102000,
    });
    expect((await reguaJson(...args, "--company")).json).toMatchObject({
      fineCents: 10000,
      totalCents: 110000,
    });
  });

  it("charges nothing when a holiday due date is paid on the next business day", async () => {
    expect(
      (await reguaJson("charges", "--amount", "100", "--due", "2026-11-20", "--on", "2026-11-23")).json,
    ).toEqual({
      daysLate: 0,
      principalCents: 10000,
      fineCents: 0,
      interestCents: 0,
      totalCents: 10000,
    });
  });

  it("refuses impossible dates and amounts", async () => {
    expect(
      await reguaJson("charges", "--amount", "100", "--due", "2026-02-30", "--on", "2026-03-10"),
    ).toEqual({
      code: 1,
      json: { valid: false, error: '--due: data "2026-02-30" inválida: o dia 30 não existe em 02/2026' },
    });
    expect(await reguaJson("charges", "--due", "2026-03-10")).toEqual({
      code: 1,
      json: {
        valid: false,
        error: "--amount é obrigatório: informe o valor original (ex.: --amount 100,00)",
      },
    });
    const negative = await reguaJson(
      "charges",
      "--amount",
      "-5",
      "--due",
      "2026-03-10",
      "--on",
      "2026-03-10",
    );
    expect(negative.code).toBe(1);
    expect(negative.json).toMatchObject({
      valid: false,
      error: expect.stringContaining("valores negativos não são aceitos"),
    });
  });
});

describe("regua document", () => {
  it("validates and formats CPF and alphanumeric CNPJ", async () => {
    expect(await reguaJson("document", "52998224725")).toEqual({
      code: 0,
      json: { valid: true, kind: "cpf", formatted: "529.982.247-25" },
    });
    expect((await reguaJson("document", "12abc34501de35")).json).toEqual({
      valid: true,
      kind: "cnpj",
      formatted: "12.ABC.345/01DE-35",
    });
    const plain = await regua("document", "12.ABC.345/01DE-35");
    expect(plain.stdout).toBe("CNPJ válido: 12.ABC.345/01DE-35\n");
  });

  it("says which check digits were expected", async () => {
    expect(await reguaJson("document", "529.982.247-26")).toEqual({
      code: 1,
      json: { valid: false, error: "CPF com dígitos verificadores errados: esperado 25, informado 26" },
    });
  });
});
