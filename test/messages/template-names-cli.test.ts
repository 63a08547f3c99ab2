import { describe, expect, it } from "vitest";
import { cliSandbox } from "../support/cli-sandbox.ts";

/** Template names in a régua, checked per creditor in the database by each process the user starts. */
const { regua, file } = cliSandbox("template-names");

const REGUA = `name: Régua curta
steps:
  - { name: D+8, offsetDays: 8, channels: [sms], templates: { sms: sms.d+8 } }
`;

async function createTenant(slug: string, document: string) {
  const created = await regua(
    "tenant",
    "create",
    "--slug",
    slug,
    "--name",
    `${slug} Ltda`,
    "--document",
    document,
    "--address",
    "Av. Paulista, 1000, São Paulo/SP",
  );
  expect(created.code).toBe(0);
}

// Seven processes, each starting the embedded database: a minute on a loaded machine, hence the timeout.
describe("template names in a régua", { timeout: 600_000 }, () => {
  it("a name saved by one creditor is valid for it in a later process, and never for another creditor", async () => {
    await createTenant("acme", "11.222.333/0001-81");
    await createTenant("beta", "11.444.777/0001-61");
    const regua_yaml = file("regua.yaml", REGUA);

    const saved = await regua(
      "templates",
      "save",
      "sms.d+8",
      "--body",
      file(
        "d8.liquid",
        "{{ cliente.primeiro_nome }}, regularize: {{ fatura.segunda_via }} {{ credor.nome }} {{ credor.cnpj }} {{ credor.endereco }}",
      ),
      "--tenant",
      "acme",
    );
    expect(saved.stdout).toContain("Modelo sms.d+8 salvo.");

    // each command is a new process: what it knows of templates it reads from the database
    const acme = await regua("policy", "import", regua_yaml, "--tenant", "acme");
    expect(acme.stderr).toBe("");
    expect(acme.stdout).toContain('Régua "Régua curta" salva com 1 passos.');
    const beta = await regua("policy", "import", regua_yaml, "--tenant", "beta");
    expect(beta.code).toBe(1);
    expect(beta.stderr).toContain('passo "D+8": modelo "sms.d+8" desconhecido');
  });
});
