import { readFile } from "node:fs/promises";
import ICAL from "ical.js";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { formatBrl } from "../../src/domain/money.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { sealSecret } from "../../src/shared/secret-box.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { seriousAxeViolations } from "../web/support.ts";
import { mintLinkPath, pdfText, portalWorld } from "./portal-support.ts";

const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let browser: TestBrowser;
let smtp: SmtpPeer;
let world: Awaited<ReturnType<typeof portalWorld>>;
let page: Page;
/** What the browser's console reported as errors (a missing favicon's 404 among them). */
const consoleErrors: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  smtp = await startSmtpPeer();
  world = await portalWorld(handle, server);
  await handle.db
    .insertInto("messaging_settings")
    .values({
      tenant_id: world.tenant.id,
      smtp_url: sealSecret(smtp.url),
      email_from: "cobranca@fibra.example",
    })
    .execute();
  browser = await launchBrowser();
  // the portal's Content-Security-Policy refuses inline scripts; axe-core is injected as one
  const context = await browser.browser.newContext({
    locale: "pt-BR",
    timezoneId: "America/Sao_Paulo",
    acceptDownloads: true,
    permissions: ["clipboard-read", "clipboard-write"],
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    bypassCSP: true,
  });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await smtp?.close();
  await server?.close();
  await handle?.close();
});

/** The page fits a 360 px wide phone: nothing scrolls sideways. */
async function fitsNarrowPhone(): Promise<boolean> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  const fits = await page.evaluate(
    () =>
      // runs in the page
      // biome-ignore lint/suspicious/noExplicitAny: the test's types have no DOM
      (globalThis as any).document.documentElement.scrollWidth <= 360,
  );
  await page.setViewportSize(size);
  return fits;
}

async function downloaded(action: () => Promise<void>): Promise<{ name: string; content: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), action()]);
  return { name: download.suggestedFilename(), content: await readFile((await download.path())!) };
}

describe("the customer portal in a phone's browser", () => {
  it("enters by the link, confirms identity and shows the suspended account with the amount of the day", async () => {
    await page.goto(`${server.url}${await mintLinkPath(world.call, world.key, world.customerId)}`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Confirme sua identidade",
    );
    expect(await page.content()).not.toContain("Mariana");
    await page.getByLabel("Os 5 primeiros dígitos do seu CPF").fill("52998");
    await page.getByRole("button", { name: "Confirmar" }).click();
    // 31 days overdue: past the default régua's 20 days, the account is suspended, and still payable
    await page.getByRole("heading", { name: "Sua conta está suspensa" }).waitFor();
    await page.getByText("Pague as faturas abaixo para reativá-lo").waitFor();
    const copy = await world.call(world.key, "GET", `/v1/invoices/${world.overdue}/second-copy`);
    const card = page.getByRole("listitem").filter({ hasText: "Mensalidade NF-1001" });
    await expect(card.locator("[data-total]").textContent()).resolves.toBe(
      formatBrl(copy.body.amount.totalDueCents),
    );
    await expect(card.textContent()).resolves.toContain("vencida há 31 dias");
    expect(consoleErrors).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsNarrowPhone()).toBe(true);
  });

  it("copies the Pix code to the clipboard and downloads the second copy as PDF", async () => {
    await page.getByRole("link", { name: "Pagar Mensalidade NF-1001" }).click();
    await page.getByRole("heading", { name: "Segunda via — Mensalidade NF-1001" }).waitFor();
    const copy = await world.call(world.key, "GET", `/v1/invoices/${world.overdue}/second-copy`);
    await page.getByRole("button", { name: "Copiar código Pix" }).click();
    await page.getByText("Copiado!").waitFor();
    const clipboard = await page.evaluate(() =>
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page
      ((globalThis as any).navigator.clipboard as { readText(): Promise<string> }).readText(),
    );
    expect(clipboard).toBe(copy.body.pixPayload);
    await expect(page.getByLabel("Linha digitável do boleto").inputValue()).resolves.toBe(
      copy.body.typeableLineFormatted,
    );
    expect(await page.locator("figure.qr svg").count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsNarrowPhone()).toBe(true);

    const pdf = await downloaded(() =>
      page.getByRole("link", { name: "Baixar a segunda via em PDF" }).click(),
    );
    expect(pdf.name).toBe("segunda-via-NF-1001-2026-11-23.pdf");
    const text = await pdfText(pdf.content);
    expect(text).toContain(copy.body.typeableLineFormatted);
    expect(text).toContain(formatBrl(copy.body.amount.totalDueCents));
  });

  it("changes the e-mail only after the code sent to the new address comes back", async () => {
    await page.getByRole("link", { name: "Meus contatos" }).click();
    await page.getByRole("heading", { name: "Meus contatos" }).waitFor();
    expect(await page.content()).not.toContain("mariana@example.com");
    await page.getByLabel("Novo e-mail").fill("mariana.nova@example.com");
    await page.getByRole("button", { name: "Continuar" }).first().click();
    // the review says what will happen; the code goes only when the debtor confirms
    await page.getByRole("heading", { name: "Novo e-mail: mariana.nova@example.com" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsNarrowPhone()).toBe(true);
    await page.getByRole("button", { name: "Enviar código para o novo e-mail" }).click();
    await page.getByLabel("Código recebido").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const mails = await smtp.parsed();
    const mail = mails.find(
      (candidate) => candidate.to && JSON.stringify(candidate.to).includes("mariana.nova"),
    );
    expect(mail).toBeDefined();
    const code = /\b(\d{6})\b/.exec(mail!.text ?? "")![1]!;
    const before = await handle.db
      .selectFrom("contacts")
      .select("value")
      .where("customer_id", "=", world.customerId)
      .where("value", "=", "mariana.nova@example.com")
      .execute();
    expect(before).toEqual([]);
    const wrong = code === "000000" ? "111111" : "000000";
    await page.getByLabel("Código recebido").fill(wrong);
    await page.getByRole("button", { name: "Confirmar e salvar" }).click();
    await page.getByText("Código incorreto").waitFor();
    await page.getByLabel("Código recebido").fill(code);
    await page.getByRole("button", { name: "Confirmar e salvar" }).click();
    await page.getByText("foi confirmado e salvo").waitFor();
    const emails = await handle.db
      .selectFrom("contacts")
      .select(["value", "verified_owner", "unusable_reason"])
      .where("customer_id", "=", world.customerId)
      .where("channel", "=", "email")
      .orderBy("value")
      .execute();
    expect(emails).toEqual([
      { value: "mariana.nova@example.com", verified_owner: true, unusable_reason: null },
      {
        value: "mariana@example.com",
        verified_owner: false,
        unusable_reason: "substituído pelo cliente no portal",
      },
    ]);
  });

  it("opts out of SMS once the review is confirmed", async () => {
    await page.getByRole("link", { name: "Preferências" }).click();
    await page.getByRole("button", { name: "Não quero mais receber por Celular (SMS)" }).click();
    await page.getByRole("heading", { name: "Confirme o descadastro" }).waitFor();
    await page.getByText("+55 11 9****-4321").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Confirmar: não receber mais por Celular (SMS)" }).click();
    await page.getByText("você não receberá mais mensagens por Celular (SMS)").waitFor();
    const sms = await handle.db
      .selectFrom("contacts")
      .select("opted_out_at")
      .where("customer_id", "=", world.customerId)
      .where("channel", "=", "sms")
      .execute();
    expect(sms.length).toBe(1);
    expect(sms[0]!.opted_out_at).not.toBeNull();
    expect(await page.getByRole("button", { name: "Voltar a receber por Celular (SMS)" }).count()).toBe(1);
    // on a narrow phone the e-mail button wraps at spaces, never inside "E-mail"
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 740 });
    const word = page
      .getByRole("button", { name: /receber por E-mail$/ })
      .getByText("E-mail", { exact: true });
    type Boxes = { getClientRects(): { length: number } };
    expect(await word.evaluate((element) => (element as unknown as Boxes).getClientRects().length)).toBe(1);
    await page.setViewportSize(size);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("reviews a plan, confirms it and puts its installments in the calendar", async () => {
    await page.getByRole("link", { name: "Negociar", exact: true }).click();
    await page.getByRole("heading", { name: "Negociar a dívida" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // paying at once is one payment, not the first of several
    const atOnce = page.locator(".card").filter({ has: page.getByLabel("À vista") });
    await expect(atOnce.textContent()).resolves.toMatch(/Pagamento em \d{2}\/\d{2}\/\d{4}/);
    await expect(atOnce.textContent()).resolves.not.toContain("Primeiro pagamento");
    const planLabel = await page
      .getByLabel(/^2x de/)
      .evaluate((input) => (input as { labels: { textContent: string }[] }).labels[0]!.textContent);
    await page.getByLabel(/^2x de/).check();
    await page.getByRole("button", { name: "Revisar o acordo" }).click();
    // the review: each payment with its date and amount, the total; nothing made yet
    await page.getByRole("heading", { name: "Confira o acordo" }).waitFor();
    const review = await page.locator("dl.breakdown").textContent();
    expect(review).toMatch(/Parcela 1 · vence em \d{2}\/\d{2}\/\d{4}R\$\s102,99/);
    expect(review).toMatch(/Parcela 2 · vence em \d{2}\/\d{2}\/\d{4}R\$\s102,98/);
    expect(await handle.db.selectFrom("agreements").select("id").execute()).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsNarrowPhone()).toBe(true);
    // going back changes nothing
    await page.getByRole("link", { name: "Voltar e escolher outra opção" }).click();
    await page.getByRole("heading", { name: "Negociar a dívida" }).waitFor();
    expect(await handle.db.selectFrom("agreements").select("id").execute()).toEqual([]);
    await page.getByLabel(/^2x de/).check();
    await page.getByRole("button", { name: "Revisar o acordo" }).click();
    await page.getByRole("button", { name: "Confirmar acordo" }).click();
    await page.getByText("Acordo criado!").waitFor();
    const agreementId = new URL(page.url()).pathname.split("/").at(-1)!;
    const installments = await handle.db
      .selectFrom("invoices")
      .innerJoin("agreement_installments", (join) =>
        join
          .onRef("agreement_installments.tenant_id", "=", "invoices.tenant_id")
          .onRef("agreement_installments.invoice_id", "=", "invoices.id"),
      )
      .select(["invoices.id", "invoices.due_date", "invoices.amount_cents"])
      .where("agreement_installments.agreement_id", "=", agreementId)
      .orderBy("invoices.due_date")
      .execute();
    expect(installments.length).toBe(2);
    // the plan said what each installment is: the last one's rounding cents are not hidden
    const [first, last] = installments.map((installment) => formatBrl(Number(installment.amount_cents)));
    expect(planLabel).toContain(first === last ? `2x de ${first}` : `2x de ${first} (última ${last})`);
    expect(installments.map((installment) => installment.amount_cents)).toEqual([102_99, 102_98]);
    expect(planLabel).toContain("2x de R$ 102,99 (última R$ 102,98)");
    expect(await page.getByRole("link", { name: /^Pagar Parcela/ }).count()).toBe(2);
    // each card is headed "Parcela N": no list number beside it
    type Styles = { getComputedStyle(element: unknown): { listStyleType: string } };
    const installmentList = page.getByRole("list").filter({ hasText: "Parcela 1" });
    expect(
      await installmentList.evaluate(
        (list) => (globalThis as unknown as Styles).getComputedStyle(list).listStyleType,
      ),
    ).toBe("none");
    const google = await page
      .getByRole("link", { name: "Adicionar ao Google Agenda" })
      .first()
      .getAttribute("href");
    expect(google).toMatch(/^https:\/\/calendar\.google\.com\//);
    expect(await fitsNarrowPhone()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const ics = await downloaded(() =>
      page.getByRole("link", { name: "Baixar todas as parcelas para a agenda (.ics)" }).click(),
    );
    const calendar = new ICAL.Component(ICAL.parse(ics.content.toString("utf8")));
    const events = calendar.getAllSubcomponents("vevent").map((event) => new ICAL.Event(event));
    expect(events.map((event) => event.startDate.toString())).toEqual(
      installments.map((installment) => installment.due_date),
    );
    // the calendar entry's link opens the portal at that installment, through the identity check
    const url = /https?:\/\/\S+\/portal\/entrar\?t=[A-Za-z0-9_-]+/.exec(events[0]!.description ?? "")?.[0];
    expect(url).toBeDefined();

    // the home now lists the installments to pay instead of the invoice the agreement replaced
    await page.getByRole("link", { name: "Minhas faturas" }).click();
    await page.getByRole("link", { name: /^Acordo de 23\/11\/2026/ }).waitFor();
    expect(await page.getByRole("link", { name: "Pagar Mensalidade NF-1001" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Pagar Mensalidade NF-1002" }).count()).toBe(1);
  });

  it("asks for another plan of the creditor's catalogue after reviewing it", async () => {
    const contract = await world.call(world.key, "POST", "/v1/contracts", {
      body: { externalId: "ct-fibra-1", customerId: world.customerId, plan: "Fibra 300" },
    });
    expect(contract.status, contract.text).toBe(201);
    await handle.db
      .insertInto("plan_catalogues")
      .values({
        tenant_id: world.tenant.id,
        plans: JSON.stringify([
          { name: "Fibra 300", monthlyPriceCents: 99_90 },
          { name: "Fibra 500", monthlyPriceCents: 149_90 },
        ]),
      })
      .execute();
    await page.getByRole("link", { name: "Meu plano e pagamento" }).click();
    await page.getByRole("heading", { name: "Contrato ct-fibra-1" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsNarrowPhone()).toBe(true);
    await page.getByLabel("Fibra 500 — R$ 149,90 por mês").check();
    await page.getByRole("button", { name: "Revisar o pedido" }).first().click();
    await page.getByRole("heading", { name: "Confira o pedido" }).waitFor();
    await page.getByText("de Fibra 300 para Fibra 500 (R$ 149,90 por mês)").waitFor();
    expect(await handle.db.selectFrom("plan_change_requests").select("id").execute()).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Enviar o pedido" }).click();
    await page.getByText("Pedido enviado ao credor").waitFor();
    await page.getByText("Plano Fibra 500, pedido em 23/11/2026: aguardando o credor").waitFor();
    const requests = await handle.db
      .selectFrom("plan_change_requests")
      .select(["requested_value", "status"])
      .execute();
    expect(requests).toEqual([{ requested_value: "Fibra 500", status: "requested" }]);
  });
});
