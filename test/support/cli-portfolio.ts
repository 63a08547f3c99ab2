import { expect } from "vitest";
import type { cliSandbox } from "./cli-sandbox.ts";

type Cli = ReturnType<typeof cliSandbox>;

/** The creditor the CLI tests start from, created as a user would with `regua tenant create`. */
export async function createAcme(regua: Cli["regua"]): Promise<void> {
  const created = await regua(
    "tenant",
    "create",
    "--slug",
    "acme",
    "--name",
    "Acme Ltda",
    "--document",
    "11.222.333/0001-81",
    "--address",
    "Av. Paulista, 1000, São Paulo/SP",
  );
  expect(created.code, created.stderr).toBe(0);
}

/**
 * What the CLI tests of agreements and campaigns start from: the creditor Acme created, then its
 * customers and invoices imported from CSV as a user would (the invoices due in 2025, so overdue
 * whatever the day of the run). `customers` are `external_id;name;document` rows, `invoices`
 * `external_id,customer_external_id,amount,due_date` rows.
 */
export async function seedOverdueDebts(
  cli: Cli,
  rows: { customers: string[]; invoices: string[] },
): Promise<void> {
  await createAcme(cli.regua);
  const customers = await cli.regua(
    "import",
    "customers",
    cli.file("customers.csv", ["external_id;name;document", ...rows.customers].join("\n")),
  );
  expect(customers.code, customers.stdout).toBe(0);
  const invoices = await cli.regua(
    "import",
    "invoices",
    cli.file(
      "invoices.csv",
      ["external_id,customer_external_id,amount,due_date", ...rows.invoices].join("\n"),
    ),
  );
  expect(invoices.code, invoices.stdout).toBe(0);
}
