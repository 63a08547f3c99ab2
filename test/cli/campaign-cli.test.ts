import { describe, expect, it } from "vitest";
import { addDays, todayIn } from "../../src/domain/dates.ts";
import { seedOverdueDebts } from "../support/cli-portfolio.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";

/**
 * `regua campaign` as a user runs it, on an empty database the CLI migrates itself. The clock is the
 * system's: the invoices are due in 2025, overdue whatever the day of the run, and the offer's last
 * day is ten days from today.
 */
const cli = cliSandbox("campaign-cli");
const { regua } = cli;
const today = todayIn("America/Sao_Paulo", new Date());

describe("regua campaign", () => {
  it("refuses a past date beside the field, counts, creates and reports against the holdout", async () => {
    await seedOverdueDebts(cli, {
      customers: ["c1;Ana;529.982.247-25", "c2;Bruno;111.444.777-35"],
      invoices: ["f1,c1,100,05/03/2025", "f2,c2,200,05/04/2025"],
    });

    const past = await regua("campaign", "create", "--name", "Antigos", "--valid-until", addDays(today, -1));
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/^erro: Válida até: escolha uma data depois de hoje/);

    const common = [
      "--name",
      "Antigos",
      "--valid-until",
      addDays(today, 10),
      "--discount",
      "2000",
      "--waive-fine",
    ];
    const counted = await regua("campaign", "create", ...common, "--dry-run", "--json");
    expect(counted.code, counted.stderr).toBe(0);
    expect(JSON.parse(counted.stdout)).toMatchObject({ campaign: null, matched: 2, eligible: 2 });

    const created = await regua("campaign", "create", ...common, "--holdout", "50", "--json");
    expect(created.code, created.stderr).toBe(0);
    const result = JSON.parse(created.stdout);
    expect(result.offered + result.holdout).toBe(2);

    const report = await regua("campaign", "results", result.campaign.id);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(
      "Antigos: pagamento à vista, 20% de desconto sobre o valor principal, sem multa e juros",
    );
    expect(report.stdout).toMatch(/(oferta|holdout): [12] clientes, 0 aceites, 0 pagaram \(0%\)/);
  }, 180_000);
});
