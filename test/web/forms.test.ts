import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOperator } from "../../src/modules/operators/operator.service.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import {
  type Dashboard,
  OPERATOR_PASSWORD,
  seriousAxeViolations,
  signedInPage,
  signIn,
  startDashboard,
} from "./support.ts";

/**
 * The dashboard's forms and roles in a real Chromium, on Monday 2026-11-23: bad input is refused
 * beside its field (and a stale success never stays beside a new error), the régua's amounts are
 * pt-BR money, a viewer is offered no action, and the customer page shows the document and phone
 * formatted and why a message was not sent.
 */
let dashboard: Dashboard;
let browser: TestBrowser;
let customer: { id: string; name: string };

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      const tenant = await tenantWithDefaultRegua(handle.db);
      const added = await addCustomer(handle.db, tenant, { sms: false });
      customer = { id: added.id, name: added.name };
      // the debtor stopped SMS (by the portal or a message's link)
      await handle.db
        .insertInto("contacts")
        .values({
          tenant_id: tenant.id,
          customer_id: added.id,
          channel: "sms",
          value: "+5551988068493",
          opted_out_at: new Date("2026-11-21T14:00:00Z"),
        })
        .execute();
      // and went into the protest group, then out of it
      const group = await handle.db
        .insertInto("customer_groups")
        .values({ tenant_id: tenant.id, name: "Protesto novembro", purpose: "protest" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto("customer_group_members")
        .values({
          tenant_id: tenant.id,
          group_id: group.id,
          customer_id: added.id,
          added_at: new Date("2026-11-18T14:00:00Z"),
          added_by_kind: "operator",
          removed_at: new Date("2026-11-19T14:00:00Z"),
        })
        .execute();
      const invoiceId = await addInvoice(handle.db, tenant, added, "2026-11-10", 20_000);
      const step = await handle.db
        .selectFrom("policy_steps")
        .select(["id", "policy_id"])
        .where("tenant_id", "=", tenant.id)
        .where("name", "=", "D+12")
        .executeTakeFirstOrThrow();
      // the régua's D+12 SMS, skipped because the debtor stopped that channel
      await handle.db
        .insertInto("dunning_actions")
        .values({
          tenant_id: tenant.id,
          invoice_id: invoiceId,
          customer_id: added.id,
          policy_id: step.policy_id,
          step_id: step.id,
          step_name: "D+12",
          offset_days: 12,
          channel: "sms",
          template: "sms.d+6",
          group_key: "pulado-1",
          status: "skipped",
          skip_reason: "opted_out",
          planned_on: "2026-11-22",
          send_on: "2026-11-22",
          scheduled_for: new Date("2026-11-22T12:00:00Z"),
          send_until: new Date("2026-11-22T23:00:00Z"),
          amount_cents: 20_000,
          created_at: new Date("2026-11-22T12:00:00Z"),
          updated_at: new Date("2026-11-22T12:00:00Z"),
        })
        .execute();
      return tenant;
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("an analyst's forms", () => {
  it("refuses a promise amount that is not money beside the field, and drops the last success", async () => {
    const { context, page } = await signedInPage(browser, dashboard, `clientes/${customer.id}`);
    await page.getByRole("heading", { name: customer.name, level: 1 }).waitFor();
    // the document and the phone as people write them
    expect(await page.getByTestId("document").textContent()).toBe("390.533.447-05");
    await page.getByRole("cell", { name: "(51) 98806-8493" }).waitFor();
    // the timeline says why the SMS did not go out, and names the template in words
    const reason = page.getByTestId("not-sent-reason");
    await reason.waitFor();
    expect(await reason.textContent()).toBe("Por que não foi enviada: cliente descadastrado deste canal");
    await page.getByText("Modelo: SMS 6 dias após o vencimento").waitFor();
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("Descadastrou-se de SMS: (51) 98806-8493").waitFor();
    await timeline.getByRole("link", { name: "Entrou no grupo Protesto novembro (Protesto)" }).waitFor();
    await timeline.getByRole("link", { name: "Saiu do grupo Protesto novembro (Protesto)" }).waitFor();

    const form = page.getByRole("form", { name: "Registrar ligação" });
    await form.getByLabel("Prometeu pagar").check();
    await form.getByLabel("Data prometida").fill("2026-11-27");
    await form.getByLabel("Valor prometido (R$)").fill("1.500,00");
    await form.getByRole("button", { name: "Registrar ligação" }).click();
    await form.getByRole("status").filter({ hasText: "Ligação registrada." }).waitFor();
    const promise = await dashboard.handle.db
      .selectFrom("customer_interactions")
      .select(["promised_cents", "promised_on"])
      .where("tenant_id", "=", dashboard.tenant.id)
      .where("customer_id", "=", customer.id)
      .executeTakeFirstOrThrow();
    expect(promise).toEqual({ promised_cents: 150_000, promised_on: "2026-11-27" });

    await form.getByLabel("Prometeu pagar").check();
    await form.getByLabel("Data prometida").fill("2026-11-27");
    const amount = form.getByLabel("Valor prometido (R$)");
    await amount.fill("abc");
    await form.getByRole("button", { name: "Registrar ligação" }).click();
    const beside = page.locator("#call-promised-amount-error");
    await beside.waitFor();
    expect(await beside.textContent()).toBe("informe um valor em reais, por exemplo 1.500,00");
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByRole("status").count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it("refuses a report period whose De comes after its Até, beside De", async () => {
    const { context, page } = await signedInPage(browser, dashboard, "relatorios");
    await page.getByLabel("De", { exact: true }).fill("2026-11-30");
    await page.getByLabel("Até", { exact: true }).fill("2026-11-01");
    await page.getByRole("button", { name: "Atualizar" }).click();
    const beside = page.locator("#report-from-error");
    await beside.waitFor();
    expect(await beside.textContent()).toContain("30/11/2026 é depois de 01/11/2026");
    expect(await page.getByLabel("De", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await context.close();
  });

  it("takes a régua step's amount as 1.500,00 and refuses abc beside the field, saving nothing", async () => {
    const { context, page } = await signedInPage(browser, dashboard, "regua");
    await page.getByRole("button", { name: "D+12 E-mail, passo D+12: editar" }).click();
    const minimum = page.getByLabel("Só se o valor for ao menos (R$, opcional)");
    await minimum.fill("abc");
    await minimum.blur();
    await page
      .getByText("informe um valor em reais, por exemplo 1.500,00 (ou deixe vazio: sem limite)")
      .waitFor();
    expect(await minimum.getAttribute("aria-invalid")).toBe("true");
    await page.getByRole("button", { name: "Salvar régua" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Corrija os campos marcados antes de salvar." })
      .waitFor();
    const stored = () =>
      dashboard.handle.db
        .selectFrom("policy_steps")
        .select("min_amount_cents")
        .where("tenant_id", "=", dashboard.tenant.id)
        .where("name", "=", "D+12")
        .executeTakeFirstOrThrow();
    expect((await stored()).min_amount_cents).toBeNull();

    await minimum.fill("1.500,00");
    await minimum.blur();
    await page.getByRole("button", { name: "Salvar régua" }).click();
    await page.getByRole("status").filter({ hasText: "Régua salva." }).waitFor();
    expect(Number((await stored()).min_amount_cents)).toBe(150_000);
    await context.close();
  });
});

describe("a viewer", () => {
  it("reads every page without an action it could not take", async () => {
    const email = `leitura@${dashboard.tenant.slug}.com.br`;
    await createOperator(dashboard.handle.db, dashboard.tenant.id, {
      email,
      name: "Vera Leitora",
      role: "viewer",
      password: OPERATOR_PASSWORD,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const asViewer = { ...dashboard, operator: { id: "", email, password: OPERATOR_PASSWORD } };
    await signIn(page, asViewer, `clientes/${customer.id}`);
    await page.getByRole("heading", { name: customer.name, level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Linha do tempo" }).waitFor();
    expect(await page.getByRole("heading", { name: "Ações" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Registrar ligação" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Gerar link do portal" }).count()).toBe(0);

    await page.goto(dashboard.url("tickets"));
    await page.getByRole("heading", { name: "Tickets", level: 1 }).waitFor();
    expect(await page.getByRole("heading", { name: "Abrir ticket" }).count()).toBe(0);

    await page.goto(dashboard.url("grupos"));
    await page.getByRole("heading", { name: "Grupos", level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: "Criar grupo" }).count()).toBe(0);

    await page.goto(dashboard.url("regua"));
    await page.getByRole("img", { name: "D+12 E-mail, passo D+12" }).waitFor();
    expect(await page.getByRole("button", { name: /editar|Salvar régua|Novo passo/i }).count()).toBe(0);

    await page.goto(dashboard.url("banco"));
    await page.getByRole("heading", { name: "Arquivos bancários e conciliação", level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: "Importar" }).count()).toBe(0);

    await page.goto(dashboard.url("clientes"));
    await page.getByRole("link", { name: customer.name }).waitFor();
    expect(await page.getByRole("heading", { name: /Ações em lote/ }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
