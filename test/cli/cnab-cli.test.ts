import { describe, expect, it } from "vitest";
import { cnab400Layout } from "../../src/domain/cnab/cnab400.ts";
import { returnTitle } from "../../src/domain/cnab/titles.ts";
import { writeCnabFile } from "../../src/domain/cnab/writer.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";

/**
 * `regua cnab parse` reads a bank's file without a database; `regua bank-account` and
 * `regua cnab remittance` and `import` work on the tenant's data, as a user runs them.
 */
const sandbox = cliSandbox("cnab");
const layout = cnab400Layout("237");

function bradescoReturn(): string {
  const lines = [
    ...writeCnabFile(
      layout,
      "return",
      {
        companyDocument: "11222333000181",
        companyName: "ACME",
        agreement: "",
        agency: "1234",
        agencyDigit: "",
        account: "12345",
        accountDigit: "6",
        bankName: "BRADESCO",
        fileSequence: 9,
        generatedOn: "2026-12-22",
      },
      [
        returnTitle(layout, {
          event: "paid",
          ourNumber: "000000000071",
          documentNumber: "F-1",
          dueDate: "2026-12-20",
          amountCents: 15_000,
          paidCents: 15_210,
          interestCents: 210,
          feeCents: 195,
          occurredOn: "2026-12-21",
          creditedOn: "2026-12-22",
          wallet: "009",
        }),
      ],
    ),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

describe("regua cnab", () => {
  it("parse --json prints the canonical records without a database", async () => {
    const file = sandbox.file("retorno.ret", bradescoReturn());
    const result = await sandbox.regua("cnab", "parse", file, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      layout: "cnab400",
      bank: "237",
      direction: "return",
      records: [
        {
          line: 2,
          ourNumber: "71",
          occurrenceCode: "06",
          event: "paid",
          amountCents: 15_000,
          paidCents: 15_210,
          interestCents: 210,
          discountCents: 0,
          rebateCents: 0,
          feeCents: 195,
          occurredOn: "2026-12-21",
          creditedOn: "2026-12-22",
        },
      ],
      problems: [],
    });
  });

  it("parse reports a truncated line and a missing trailer by line number, exit 1", async () => {
    const lines = bradescoReturn().split("\r\n");
    const broken = [lines[0], lines[1]!.slice(0, 390)].join("\r\n");
    const result = await sandbox.regua("cnab", "parse", sandbox.file("cortado.ret", broken), "--json");
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      records: unknown[];
      problems: { line: number; message: string }[];
    };
    expect(parsed.records).toEqual([]);
    expect(parsed.problems).toEqual([
      { line: 2, message: expect.stringMatching(/linha com 390 caracteres/) },
      { line: 3, message: expect.stringMatching(/falta o trailer/) },
    ]);
  });

  it("bank-account create, remittance with nothing to send, import of a return naming no boleto", async () => {
    expect(
      (
        await sandbox.regua(
          "tenant",
          "create",
          "--slug",
          "acme",
          "--name",
          "ACME Ltda",
          "--document",
          "11.222.333/0001-81",
          "--address",
          "Rua A, 1, São Paulo/SP",
        )
      ).code,
    ).toBe(0);
    const created = await sandbox.regua(
      "bank-account",
      "create",
      "--tenant",
      "acme",
      "--name",
      "Bradesco",
      "--bank",
      "237",
      "--agency",
      "1234",
      "--account",
      "12345",
      "--wallet",
      "09",
      "--layout",
      "cnab400",
    );
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout) as { id: string; isDefault: boolean; bankName: string };
    expect(account).toMatchObject({ isDefault: true, bankName: "Bradesco" });
    const remittance = await sandbox.regua("cnab", "remittance", "--tenant", "acme", "--account", account.id);
    expect(remittance.stderr).toMatch(/nada a enviar hoje/);
    const imported = await sandbox.regua(
      "cnab",
      "import",
      sandbox.file("r.ret", bradescoReturn()),
      "--tenant",
      "acme",
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      records: 1,
      paid: { count: 0 },
      queued: { count: 1, cents: 15_210 },
    });
  }, 240_000);
});
