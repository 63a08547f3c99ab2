import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { seedOverdueDebts } from "../support/cli-portfolio.ts";
import { cliSandbox } from "../support/cli-sandbox.ts";

/**
 * `regua agreement` as a user runs it, on an empty database the CLI migrates itself. The clock is
 * the system's: the invoices are due in 2025, overdue whatever the day of the run.
 */
const cli = cliSandbox("agreement-cli");
const { regua } = cli;

describe("regua agreement", () => {
  let agreement: { id: string; status: string; installments: unknown[] };

  it("simulates the debt of a customer imported from CSV", async () => {
    await seedOverdueDebts(cli, {
      customers: ["c1;Ana;529.982.247-25"],
      invoices: ["f1,c1,100,05/03/2025", "f2,c1,200,05/04/2025"],
    });

    const simulation = await regua("agreement", "simulate", "--customer", "c1", "--json");
    expect(simulation.code, simulation.stderr).toBe(0);
    const parsed = JSON.parse(simulation.stdout);
    expect(parsed.debt.invoices).toHaveLength(2);
    expect(parsed.debt.principalCents).toBe(30_000);
  }, 120_000);

  it("refuses terms over the limits naming the field, and proposes", async () => {
    const refused = await regua("agreement", "propose", "--customer", "c1", "--installments", "60");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^erro: installments: /);

    const proposed = await regua("agreement", "propose", "--customer", "c1", "--installments", "3", "--json");
    expect(proposed.code, proposed.stderr).toBe(0);
    agreement = JSON.parse(proposed.stdout);
    expect(agreement.status).toBe("proposed");
    expect(agreement.installments).toHaveLength(3);
  }, 120_000);

  it("lists, prints the calendar and cancels", async () => {
    const listed = await regua("agreement", "list", "--status", "proposed");
    expect(listed.stdout).toContain(`Acordo nº 1 (${agreement.id}) — proposto`);

    const ics = await regua("agreement", "show", agreement.id, "--ics");
    const events = new ICAL.Component(ICAL.parse(ics.stdout)).getAllSubcomponents("vevent");
    expect(events).toHaveLength(3);

    const cancelled = await regua(
      "agreement",
      "cancel",
      agreement.id,
      "--reason",
      "teste da linha de comando",
    );
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain("cancelado");
    expect(cancelled.stdout).toContain("motivo: teste da linha de comando");
  }, 120_000);
});
