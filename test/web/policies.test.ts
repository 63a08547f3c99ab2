import { afterAll, beforeAll, expect, it } from "vitest";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { type Dashboard, seriousAxeViolations, signedInPage, startDashboard } from "./support.ts";

let dashboard: Dashboard;
let browser: TestBrowser;
let smtp: SmtpPeer;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  dashboard = await startDashboard({
    seed: async (handle) => {
      const tenant = await apiTenant(handle);
      await handle.db
        .insertInto("messaging_settings")
        .values({ tenant_id: tenant.id, smtp_url: smtp.url, email_from: "cobranca@fibrarapida.com.br" })
        .execute();
      return tenant;
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await smtp?.close();
});

async function savedPolicy() {
  const policies = await dashboard.handle.db
    .selectFrom("policy_steps")
    .select(["name", "offset_days"])
    .where("tenant_id", "=", dashboard.tenant.id)
    .execute();
  return Object.fromEntries(policies.map((step) => [step.name, step.offset_days]));
}

it("moves a step on the timeline, saves it, and shows a refusal beside the field", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "regua");
  await page.getByRole("heading", { name: "Régua de cobrança", level: 1 }).waitFor();
  // the timeline and its table both list the seeds' régua
  const marker = page.getByRole("button", { name: "D+12 E-mail, passo D+12: editar" });
  await marker.click();
  await page.locator('.marker[aria-pressed="true"]').filter({ hasText: "D+12" }).waitFor();
  const offset = page.getByLabel("Dia relativo ao vencimento (negativo: antes)");
  await offset.fill("10");
  // the marker moved to D+10 before anything was saved
  await page.getByRole("button", { name: "D+10 E-mail, passo D+12: editar" }).waitFor();
  await page.getByRole("row", { name: /D\+12 D\+10/ }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Salvar régua" }).click();
  await page.getByRole("status").filter({ hasText: "Régua salva." }).waitFor();
  expect((await savedPolicy())["D+12"]).toBe(10);

  // the step limited to the unlikely payers (score band low) keeps that condition once saved
  await page
    .getByRole("group", { name: /Só para faturas com chance de pagamento/ })
    .getByLabel("baixa (< 30%)")
    .check();
  await page.getByRole("button", { name: "Salvar régua" }).click();
  await expect
    .poll(
      async () =>
        (
          await dashboard.handle.db
            .selectFrom("policy_steps")
            .select("score_bands")
            .where("tenant_id", "=", dashboard.tenant.id)
            .where("name", "=", "D+12")
            .executeTakeFirstOrThrow()
        ).score_bands,
      { timeout: 15_000 },
    )
    .toEqual(["low"]);

  await offset.fill("400");
  await page.getByRole("button", { name: "Salvar régua" }).click();
  const error = page.locator(".field-error");
  await error.filter({ hasText: "fora do limite" }).waitFor();
  expect(await offset.getAttribute("aria-invalid")).toBe("true");
  expect((await savedPolicy())["D+12"]).toBe(10);
  await context.close();
});

it("edits a template with a live preview and sends a test to the operator's own e-mail", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "regua");
  await page.getByRole("button", { name: "Editar D+6" }).click();
  await page.getByRole("button", { name: "Editar modelo E-mail 6 dias após o vencimento" }).click();
  await page.getByRole("heading", { name: "Modelo E-mail 6 dias após o vencimento" }).waitFor();
  const preview = page.getByTestId("preview-text");
  await preview.filter({ hasText: "Maria" }).waitFor();

  const body = page.getByLabel("Texto (Liquid)");
  await body.fill(
    "Olá {{ cliente.primeiro_nome }}, texto novo ao vivo: {{ total_atualizado }}.\n\n{{ credor.nome }} — CNPJ {{ credor.cnpj }}\n{{ credor.endereco }}",
  );
  await preview.filter({ hasText: "Olá Maria, texto novo ao vivo: R$ 262,96." }).waitFor();
  // a misspelt variable: the preview lists the problem, with the suggestion
  await body.fill("Olá {{ cliente.primero_nome }}");
  await page.getByRole("alert").filter({ hasText: "você quis dizer cliente.primeiro_nome" }).waitFor();
  await body.fill(
    "Teste para mim, {{ cliente.primeiro_nome }}.\n\n{{ credor.nome }} — CNPJ {{ credor.cnpj }}\n{{ credor.endereco }}",
  );
  await preview.filter({ hasText: "Teste para mim, Maria." }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Enviar teste para meu e-mail" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `Teste enviado para ${dashboard.operator.email}` })
    .waitFor();
  const [mail] = await smtp.parsed();
  expect(smtp.received[0]!.envelopeTo).toEqual([dashboard.operator.email]);
  expect(mail!.text).toContain("Teste para mim, Maria.");

  await page.getByRole("button", { name: "Salvar modelo" }).click();
  await page.getByRole("status").filter({ hasText: "Modelo salvo." }).waitFor();
  const saved = await dashboard.handle.db
    .selectFrom("message_templates")
    .select("body")
    .where("tenant_id", "=", dashboard.tenant.id)
    .where("name", "=", "email.d+6")
    .executeTakeFirstOrThrow();
  expect(saved.body).toContain("Teste para mim");
  await context.close();
});

it("previews a template with a real customer's data, found by name", async () => {
  const customer = await dashboard.handle.db
    .insertInto("customers")
    .values({
      tenant_id: dashboard.tenant.id,
      external_id: "previa-1",
      name: "Joana Prévia Real",
      document: "52998224725",
      kind: "person",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await dashboard.handle.db
    .insertInto("invoices")
    .values({
      tenant_id: dashboard.tenant.id,
      external_id: "previa-fat-1",
      customer_id: customer.id,
      description: "Plano Fibra 500",
      amount_cents: 123_45,
      issue_date: "2026-10-01",
      due_date: "2026-11-30",
    })
    .execute();
  const { context, page } = await signedInPage(browser, dashboard, "regua");
  await page.getByRole("button", { name: "Editar D-5" }).click();
  await page.getByRole("button", { name: "Editar modelo E-mail 5 dias antes do vencimento" }).click();
  const preview = page.getByTestId("preview-text");
  await preview.filter({ hasText: "Maria" }).waitFor();

  await page.getByLabel("Ver a prévia com um cliente (nome, documento ou código)").fill("Joana Prévia");
  await page.getByRole("button", { name: "Usar este cliente" }).click();
  await page.getByRole("heading", { name: "Prévia com os dados de Joana Prévia Real" }).waitFor();
  await preview.filter({ hasText: "Joana" }).waitFor();
  expect(await preview.textContent()).toContain("R$ 123,45");
  expect(await preview.textContent()).not.toContain("Maria");
  expect(await seriousAxeViolations(page)).toEqual([]);
  // the operator's look at a customer's data is audited
  const audited = await dashboard.handle.db
    .selectFrom("audit_log")
    .select("action")
    .where("tenant_id", "=", dashboard.tenant.id)
    .where("action", "=", "template.preview")
    .where("resource_id", "=", customer.id)
    .execute();
  expect(audited.length).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Voltar aos dados de exemplo" }).click();
  await preview.filter({ hasText: "Maria" }).waitFor();
  await context.close();
});
