import { afterAll, beforeAll, expect, it } from "vitest";
import { type BulkJobLoop, startBulkJobLoop } from "../../src/jobs/bulk-jobs.job.ts";
import { dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { insertDebtor } from "../support/message-fixtures.ts";
import { type Dashboard, seriousAxeViolations, signedInPage, startDashboard } from "./support.ts";

/** The team's work in the dashboard, in a real Chromium: tickets, the customer list's bulk actions, groups. */
let dashboard: Dashboard;
let browser: TestBrowser;
// the worker's loop that runs the batch send the page starts as a job
let bulkJobs: BulkJobLoop;

beforeAll(async () => {
  // Monday 2026-11-23, 12:00 in São Paulo: inside the legal contact hours
  dashboard = await startDashboard({
    seed: async (handle) => {
      const tenant = await apiTenant(handle);
      await insertDebtor(handle.db, tenant.id, {
        name: "Fábio Lima",
        phone: "+5511911112222",
        invoices: [{ description: "Mensalidade outubro", amountCents: 150_00, dueDate: "2026-10-20" }],
      });
      await insertDebtor(handle.db, tenant.id, {
        name: "Gabriela Souza",
        phone: "+5511933334444",
        invoices: [{ description: "Mensalidade novembro", amountCents: 99_90, dueDate: "2026-11-10" }],
      });
      await insertDebtor(handle.db, tenant.id, {
        name: "Heitor Em Dia",
        phone: "+5511955556666",
        invoices: [{ description: "Mensalidade dezembro", amountCents: 80_00, dueDate: "2026-12-10" }],
      });
      return tenant;
    },
  });
  bulkJobs = startBulkJobLoop(dashboard.handle, { clock: dashboard.clock, idleMs: 200 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await bulkJobs?.stop();
  await browser?.close();
  await dashboard?.close();
});

it("opens a ticket, comments on it and closes it", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "tickets");
  await page.getByRole("heading", { name: "Tickets", level: 1 }).waitFor();
  await page.getByText("Nenhum ticket aqui.").waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByLabel("Título", { exact: true }).fill("Ligar para Fábio");
  await page.getByLabel("Descrição", { exact: true }).fill("Pediu retorno depois do almoço");
  // the operator opening the ticket is its assignee unless they choose otherwise
  const assignee = page.getByLabel("Responsável", { exact: true });
  await assignee.locator("option", { hasText: "Ana Operadora" }).waitFor({ state: "attached" });
  expect(await assignee.locator("option:checked").textContent()).toBe("Ana Operadora");
  await page.getByLabel("Prazo", { exact: true }).fill("2026-11-24");
  await page.getByRole("button", { name: "Abrir ticket" }).click();
  await page.getByRole("status").getByText('Ticket "Ligar para Fábio" aberto.').waitFor();
  // a ticket for nobody, opened from "my tickets": the page switches to all tickets to show it
  await page.getByLabel("Título", { exact: true }).fill("Conferir cadastro");
  await assignee.selectOption({ label: "ninguém" });
  await page.getByRole("button", { name: "Abrir ticket" }).click();
  await page.getByRole("link", { name: "Conferir cadastro" }).waitFor();
  expect(await page.getByRole("combobox", { name: "Mostrar" }).inputValue()).toBe("all");
  // my tickets list the first one
  await page.getByRole("combobox", { name: "Mostrar" }).selectOption("mine");
  await page.getByRole("link", { name: "Ligar para Fábio" }).click();
  await page.getByRole("heading", { name: "Ligar para Fábio", level: 1 }).waitFor();
  expect(await page.locator(".facts").textContent()).toContain("24/11/2026");
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByLabel("Novo comentário").fill("Caixa postal; tento de novo às 15h");
  await page.getByRole("button", { name: "Comentar" }).click();
  await page.getByText("Caixa postal; tento de novo às 15h").waitFor();
  await page.getByRole("button", { name: "Concluir ticket" }).click();
  await page.getByRole("button", { name: "Reabrir ticket" }).waitFor();
  expect(await page.locator(".facts").textContent()).toContain("Concluído");

  // closed: no longer among my open tickets
  await page.getByRole("link", { name: "Voltar aos tickets" }).click();
  await page.getByText("Nenhum ticket aqui.").waitFor();
  await context.close();
});

it("sends a batch SMS from the customer list after showing the dry-run count", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "clientes");
  await page.getByRole("heading", { name: "Clientes", level: 1 }).waitFor();
  await page.getByRole("checkbox", { name: "Selecionar Fábio Lima" }).waitFor();
  // the CPF as people write it, not bare digits
  await page.locator("tbody tr").filter({ hasText: "Fábio Lima" }).getByText("123.456.789-09").waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  // only the overdue ones: from 1 day overdue
  await page.getByLabel("Dias de atraso, de").fill("1");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
  await page.getByRole("checkbox", { name: "Selecionar todos desta página" }).check();
  await page.getByRole("heading", { name: "Ações em lote: 2 clientes selecionados" }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByLabel("Canal").selectOption("sms");
  await page.getByLabel("Modelo").selectOption("sms.d+6");
  // the send button appears only after the count
  expect(await page.getByRole("button", { name: /^Enviar para/ }).count()).toBe(0);
  await page.getByRole("button", { name: "Contar destinatários" }).click();
  await page.getByText("2 clientes com 2 faturas (R$ 249,90); 2 alcançáveis neste canal.").waitFor();
  const planned = await dashboard.handle.db
    .selectFrom("dunning_actions")
    .select("id")
    .where("tenant_id", "=", dashboard.tenant.id)
    .execute();
  expect(planned).toEqual([]);
  await page.getByRole("button", { name: "Enviar para 2 clientes" }).click();
  await page.getByText("Envio agendado: 2 ações, dentro do horário legal de contato.").waitFor();

  // the dispatcher sends them; with no SMS provider set, the capture transport keeps them
  await dispatchDue(dashboard.handle.db, { clock: dashboard.clock, tenantId: dashboard.tenant.id });
  const captured = await dashboard.handle.db
    .selectFrom("captured_messages")
    .select(["channel", "recipient", "text"])
    .where("tenant_id", "=", dashboard.tenant.id)
    .orderBy("recipient")
    .execute();
  expect(captured.map((message) => [message.channel, message.recipient])).toEqual([
    ["sms", "+5511911112222"],
    ["sms", "+5511933334444"],
  ]);
  expect(captured[0]!.text).toContain("Fabio");
  await context.close();
});

it("creates a group and adds customers to it from the customer list", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "grupos");
  await page.getByRole("heading", { name: "Grupos", level: 1 }).waitFor();
  await page.getByLabel("Nome").fill("Protesto dezembro");
  await page.getByLabel("Finalidade").selectOption({ label: "Protesto" });
  await page.getByRole("button", { name: "Criar grupo" }).click();
  await page.getByRole("link", { name: "Protesto dezembro" }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "Clientes" }).click();
  await page.getByRole("checkbox", { name: "Selecionar Fábio Lima" }).check();
  await page.getByRole("checkbox", { name: "Selecionar Gabriela Souza" }).check();
  await page.getByLabel("Grupo de destino").selectOption({ label: "Protesto dezembro (Protesto)" });
  await page.getByRole("button", { name: "Adicionar ao grupo" }).click();
  await page.getByText("2 adicionados; 0 já estavam no grupo.").waitFor();

  await page.getByRole("link", { name: "Grupos" }).click();
  await page.getByRole("link", { name: "Protesto dezembro" }).click();
  await page.getByRole("heading", { name: "Protesto dezembro", level: 1 }).waitFor();
  const members = page.getByRole("table", { name: "Membros do grupo" });
  await members.waitFor();
  expect(await members.getByRole("link").allTextContents()).toEqual(["Fábio Lima", "Gabriela Souza"]);
  expect(await seriousAxeViolations(page)).toEqual([]);

  // renamed from its page; while it has members it cannot be deleted, and the page says why
  await page.getByText("Editar o grupo").click();
  await page.getByLabel("Nome").fill("Protesto de dezembro");
  await page.getByRole("button", { name: "Salvar" }).click();
  await page.getByRole("heading", { name: "Protesto de dezembro", level: 1 }).waitFor();
  await page.getByText("Grupo salvo.").waitFor();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Excluir o grupo" }).click();
  await page.getByText("o grupo ainda tem 2 clientes; retire-os antes de excluir").waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "Fila de trabalho" }).click();
  await page.getByRole("table", { name: /Clientes por prioridade/ }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await context.close();
});

it("deletes an empty group after confirming", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "grupos");
  await page.getByRole("heading", { name: "Grupos", level: 1 }).waitFor();
  await page.getByLabel("Nome").fill("Grupo passageiro");
  await page.getByLabel("Finalidade").selectOption({ label: "Protesto" });
  await page.getByRole("button", { name: "Criar grupo" }).click();
  await page.getByRole("link", { name: "Grupo passageiro" }).click();
  await page.getByRole("heading", { name: "Grupo passageiro", level: 1 }).waitFor();
  await page.getByText("Editar o grupo").click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Excluir o grupo" }).click();
  await page.getByRole("heading", { name: "Grupos", level: 1 }).waitFor();
  await page.getByRole("link", { name: "Protesto de dezembro" }).waitFor();
  expect(await page.getByRole("link", { name: "Grupo passageiro" }).count()).toBe(0);
  await context.close();
});

it("the work queue and the customer list fit a 768 px screen without sideways scrolling", async () => {
  // a day's real work: long names, tags, a promise due and an analyst task beside the debt
  const db = dashboard.handle.db;
  const tenantId = dashboard.tenant.id;
  const fabio = await db
    .selectFrom("customers")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("name", "=", "Fábio Lima")
    .executeTakeFirstOrThrow();
  await db
    .updateTable("customers")
    .set({
      name: "Fábio Lima de Albuquerque Cavalcanti Nogueira",
      tags: ["inadimplente-recorrente", "contrato-empresarial"],
    })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", fabio.id)
    .execute();
  await db
    .insertInto("customer_interactions")
    .values({
      tenant_id: tenantId,
      customer_id: fabio.id,
      kind: "call",
      outcome: "answered",
      promised_on: "2026-11-22",
      promised_cents: 150_00,
    })
    .execute();
  await db
    .insertInto("analyst_tasks")
    .values({
      tenant_id: tenantId,
      message_id: crypto.randomUUID(),
      customer_id: fabio.id,
      title: "Ligar",
      description: "",
      due_on: "2026-11-23",
    })
    .execute();
  // Fábio's debt has a probability of payment: he leads by expected recovery, with the score's reasons
  const invoices = await db
    .selectFrom("invoices")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", fabio.id)
    .where("status", "=", "open")
    .execute();
  for (const invoice of invoices) {
    await db
      .insertInto("invoice_scores")
      .values({
        tenant_id: tenantId,
        invoice_id: invoice.id,
        customer_id: fabio.id,
        scored_on: "2026-11-23",
        horizon_days: 30,
        probability: 0.75,
        band: "high",
        reasons: ["+late_share"],
      })
      .execute();
  }
  const { context, page } = await signedInPage(browser, dashboard, "fila");
  await page.setViewportSize({ width: 768, height: 900 });
  await page.getByRole("heading", { name: "Fila de trabalho", level: 1 }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  const first = page.locator("tbody tr").first();
  expect(await first.getByRole("link").textContent()).toBe("Fábio Lima de Albuquerque Cavalcanti Nogueira");
  expect(await first.textContent()).toMatch(/esperados \(75% de chance\).*costuma pagar em dia/);
  const overflow = () => page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.getByRole("link", { name: "Clientes" }).click();
  await page.getByRole("checkbox", { name: /^Selecionar Fábio Lima/ }).waitFor();
  expect(await overflow()).toBeLessThanOrEqual(0);
  // with the bulk actions open, too
  await page.getByRole("checkbox", { name: /^Selecionar Fábio Lima/ }).check();
  await page.getByRole("heading", { name: /^Ações em lote/ }).waitFor();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await context.close();
});
