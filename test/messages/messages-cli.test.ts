import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAcme } from "../support/cli-portfolio.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";

/** The messages commands as a user runs them, on an empty database the CLI migrates itself. */
const { regua, file, folder } = cliSandbox("messages-cli", { SMTP_URL: undefined });

// every command is a process that opens and migrates the embedded database: slow on a busy machine
describe("regua templates and regua send", { timeout: 240_000 }, () => {
  it("previews, refuses a template without the creditor, saves a good one", async () => {
    await createAcme(regua);
    const preview = await regua("templates", "preview", "email.d0", "--tenant", "acme");
    expect(preview.stdout).toContain("Assunto: NÃO ESQUEÇA: vence hoje");
    expect(preview.stdout).toContain("Acme Ltda — CNPJ 11.222.333/0001-81");

    const bad = await regua(
      "templates",
      "save",
      "sms.d-1",
      "--body",
      file("bad.liquid", "Oi {{ cliente.nome }}, pague hoje."),
      "--tenant",
      "acme",
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("erro: modelo sms.d-1: falta identificar o credor");
    const good = await regua(
      "templates",
      "save",
      "sms.d-1",
      "--body",
      file(
        "good.liquid",
        "{{ cliente.primeiro_nome }}, vence amanhã. {{ credor.nome }} {{ credor.cnpj }} {{ credor.endereco }}",
      ),
      "--tenant",
      "acme",
    );
    expect(good.stdout).toContain("Modelo sms.d-1 salvo.");
    const list = await regua("templates", "list", "--tenant", "acme");
    expect(list.stdout).toMatch(/sms\.d-1\s+próprio/);
  });

  it("counts a batch with --dry-run, then sends it through the capture transport", async () => {
    const customers = file(
      "customers.csv",
      "external_id;name;document;email;state\nc1;Ana Souza;529.982.247-25;ana@example.com;SP\nc2;Bia Lima;390.533.447-05;;RJ\n",
    );
    expect((await regua("import", "customers", customers, "--tenant", "acme")).code).toBe(0);
    const invoices = file(
      "invoices.csv",
      "external_id,customer_external_id,amount,due_date\nf1,c1,100,01/01/2026\nf2,c2,200,01/01/2026\nf3,c1,300,01/01/2099\n",
    );
    expect((await regua("import", "invoices", invoices, "--tenant", "acme")).code).toBe(0);

    const dry = await regua(
      "send",
      "--template",
      "email.d+12",
      "--filter",
      "overdue",
      "--dry-run",
      "--tenant",
      "acme",
    );
    expect(dry.stdout).toContain(
      "Simulação de email.d+12 para clientes com faturas vencidas: 2 cliente(s), 2 fatura(s), R$ 300,00; 1 com contato utilizável neste canal.",
    );
    const sent = await regua(
      "send",
      "--template",
      "email.d+12",
      "--filter",
      "overdue",
      "--tenant",
      "acme",
      "--json",
    );
    const result = JSON.parse(sent.stdout) as {
      actions: number;
      dispatch: { sent: number; skipped: number };
    };
    expect(result.actions).toBe(2);
    // outside contact hours the messages wait for the window: nothing is lost either way
    const list = JSON.parse((await regua("messages", "list", "--tenant", "acme", "--json")).stdout) as {
      state: string;
    }[];
    expect(list.length).toBe(result.dispatch.sent + result.dispatch.skipped);
    if (result.dispatch.sent === 1) {
      const captured = await regua("messages", "captured", "--tenant", "acme");
      expect(captured.stdout).toContain("── email para ana@example.com");
      expect(captured.stdout).toContain("Sua fatura está em atraso há");
    }
    const out = join(folder, "cartas.pdf");
    const letters = await regua("letters", "--date", "2026-01-02", "--out", out, "--tenant", "acme");
    expect(letters.stdout).toContain(`0 carta(s) de 2026-01-02 em ${out}`);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe("%PDF-");
  });
});
