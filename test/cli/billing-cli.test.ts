import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connect.ts";
import { authenticateApiKey } from "../../src/modules/tenants/api-key.service.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";
import { onPostgres } from "../support/test-database.ts";

/**
 * The billing commands as a user runs them: child processes on an empty database that the CLI
 * migrates itself (an embedded folder on the PGlite pass, a fresh PostgreSQL database on the other).
 */
const { regua, file, env } = cliSandbox("billing-cli");

// every command is a process that opens and migrates the embedded database: slow on a busy machine
describe("regua tenant, apikey and import", { timeout: 240_000 }, () => {
  let key = "";

  it("creates a tenant and lists it; a bad CNPJ exits 1 with the reason", async () => {
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
      "--json",
    );
    expect(created.stderr).toBe("");
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: "acme", document: "11222333000181" });

    const bad = await regua(
      "tenant",
      "create",
      "--slug",
      "bad",
      "--name",
      "X",
      "--document",
      "123",
      "--address",
      "Rua X, 1",
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^erro: document: /);

    const updated = await regua(
      "tenant",
      "update",
      "--fine",
      "2,5",
      "--boleto-bank",
      "237",
      "--boleto-agency",
      "1234",
      "--boleto-account",
      "99",
      "--pix-key",
      "financeiro@acme.com.br",
      "--pix-city",
      "Campinas",
      "--json",
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({
      defaultFineBps: 250,
      boletoBankCode: "237",
      pixMerchantCity: "Campinas",
    });

    const list = await regua("tenant", "list", "--json");
    expect(JSON.parse(list.stdout).map((tenant: { slug: string }) => tenant.slug)).toEqual(["acme"]);
  });

  it("creates an API key shown once, which authenticates until revoked", async () => {
    const created = await regua("apikey", "create", "--name", "ERP", "--scope", "read");
    expect(created.code).toBe(0);
    key = /rg_[0-9a-z]+\.[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(created.stdout)![0];
    expect(created.stdout).toContain("não será mostrada de novo");

    const check = async () => {
      const handle = await openDatabase(
        onPostgres ? { url: env.DATABASE_URL } : { dataDir: env.REGUA_DATA_DIR },
      );
      try {
        return await authenticateApiKey(handle.db, key);
      } finally {
        await handle.close();
      }
    };
    expect(await check()).toMatchObject({ scope: "read" });
    const prefix = key.split("_")[1]!;
    const revoked = await regua("apikey", "revoke", prefix, "--tenant", "acme");
    expect(revoked.stdout).toContain(`Chave ${prefix} revogada`);
    expect(await check()).toBeNull();
  });

  it("imports customers, dry-runs and imports invoices, and exits 1 with a per-row report on bad rows", async () => {
    const customers = file(
      "customers.csv",
      "external_id;name;document;state\nc1;Ana;529.982.247-25;SP\nc2;Bia;390.533.447-05;RJ\n",
    );
    const imported = await regua("import", "customers", customers, "--tenant", "acme");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      "importação de clientes: 2 linhas — 2 novas, 0 atualizadas, 0 sem mudança, 0 com erro",
    );

    const invoices = file(
      "invoices.csv",
      'external_id,customer_external_id,amount,due_date\nf1,c1,"1.234,56",10/03/2026\nf2,c9,10,10/03/2026\nf3,c2,-1,10/03/2026\n',
    );
    const dry = await regua("import", "invoices", invoices, "--dry-run", "--json");
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, inserted: 1, failed: 2 });

    const real = await regua("import", "invoices", invoices);
    expect(real.code).toBe(1);
    expect(real.stdout).toContain("1 novas");
    expect(real.stdout).toContain("linha 3 (customer_external_id): cliente 'c9' não encontrado");
    expect(real.stdout).toContain("linha 4 (amount):");

    // Only the real run wrote f1: importing it again finds it unchanged.
    const again = await regua("import", "invoices", invoices, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, unchanged: 1, failed: 2 });
  });
});
