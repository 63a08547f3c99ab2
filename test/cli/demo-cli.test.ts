import { describe, expect, it } from "vitest";
import { cliSandbox } from "../support/cli-sandbox.ts";

/**
 * `regua demo` as a user runs it: a child process on an empty database that the CLI migrates
 * itself (an embedded folder on the PGlite pass, a fresh PostgreSQL database on the other).
 */
const { regua } = cliSandbox("demo-cli");

describe("regua demo", () => {
  it("loads the demo company into an empty database and summarises it in JSON", async () => {
    // a week of régua keeps the test short; the default three weeks are test/demo/history.test.ts's
    const result = await regua(
      "demo",
      ...["--customers", "60", "--seed", "3", "--today", "2026-11-23", "--history-days", "7", "--json"],
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.history).toMatchObject({ days: 7 });
    expect(output.tenant).toEqual({
      slug: "demo",
      legalName: "Empresa Demonstração Régua Ltda",
      created: true,
    });
    expect(output.errors).toEqual([]);
    expect(output.imported.customers).toMatchObject({ total: 60, inserted: 60, failed: 0 });
    expect(output.summary.customers).toBe(60);
    // the imported invoices, and the installments of the history's agreements
    expect(output.summary.invoices).toBe(output.imported.invoices.inserted + output.history.installments);
    // the imported payments, and those of the history's portal agreements (the payments use case)
    expect(output.summary.payments).toBe(
      output.imported.payments.inserted + output.history.agreementPayments,
    );
    expect(output.summary.paidInvoices + output.summary.openInvoices).toBe(output.summary.invoices);
    expect(output.summary.overdueCents).toBeGreaterThan(0);
  });

  it("prints a pt-BR summary, and a second load adds nothing", async () => {
    const result = await regua("demo", "--customers", "60", "--seed", "3", "--today", "2026-11-23");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('credor "Empresa Demonstração Régua Ltda" (slug demo)');
    expect(result.stdout).toMatch(/clientes: +60 \(0 novos nesta carga\)/);
    expect(result.stdout).toMatch(
      /vencidas: +\d+ faturas, R\$ [\d.]+,\d\d de saldo a receber \(sem multa e juros\)/,
    );
    // Not a terminal: no progress line.
    expect(result.stderr).toBe("");
  });

  it("exits 1 naming the option when --customers or --today is wrong", async () => {
    const customers = await regua("demo", "--customers", "dez");
    expect(customers.code).toBe(1);
    expect(customers.stderr).toContain("--customers 'dez' inválido");
    const today = await regua("demo", "--today", "2026-02-30");
    expect(today.code).toBe(1);
    expect(today.stderr).toContain("--today '2026-02-30' inválida");
  });
});
