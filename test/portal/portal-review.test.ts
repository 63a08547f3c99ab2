import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { formatBrl } from "../../src/domain/money.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { hiddenFields, mintLinkPath, portalWorld, Visitor } from "./portal-support.ts";

// 12:00 in São Paulo: the invoice due 2026-10-23 is 31 days overdue
const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

/** A fresh creditor and debtor, the debtor signed in to the portal. */
async function signedIn() {
  const world = await portalWorld(handle, server);
  const visitor = new Visitor(server);
  await visitor.enter(await mintLinkPath(world.call, world.key, world.customerId), "52998");
  return { world, visitor };
}

const agreementsOf = (customerId: string) =>
  handle.db
    .selectFrom("agreements")
    .select(["id", "total_cents"])
    .where("customer_id", "=", customerId)
    .execute();

describe("the portal shows what a commitment will do before making it", () => {
  it("an agreement: the review lists each payment with date and amount, and only the confirmation makes it, once", async () => {
    const { world, visitor } = await signedIn();
    const negotiate = await visitor.get("/portal/negociar");
    expect(negotiate.text).toContain("Revisar o acordo");
    const csrf = hiddenFields(negotiate.text).csrf!;
    // option 1 is the first instalment plan (2x); option 0 is at once
    const review = await visitor.post("/portal/negociar", { csrf, option: "1" });
    expect(review.status).toBe(200);
    expect(review.text).toContain("Confira o acordo");
    expect(review.text).toMatch(/Parcela 1 · vence em \d{2}\/\d{2}\/\d{4}/);
    expect(review.text).toContain("Parcela 2");
    expect(review.text).toContain(formatBrl(102_99));
    expect(review.text).toContain(formatBrl(102_98));
    expect(review.text).toContain(`Total a pagar</dt><dd class="total">${formatBrl(205_97)}`);
    expect(review.text).toContain("Confirmar acordo");
    expect(review.text).toContain('href="/portal/negociar"');
    expect(await agreementsOf(world.customerId)).toEqual([]);

    // going back and reviewing another option writes nothing either
    const atOnce = await visitor.post("/portal/negociar", { csrf, option: "0" });
    expect(atOnce.text).toContain("À vista · vence em");
    expect(await agreementsOf(world.customerId)).toEqual([]);

    // a total that is not the one reviewed is shown again, not made
    const stale = await visitor.post("/portal/negociar/confirmar", { csrf, option: "1", total: "1" });
    expect(stale.status).toBe(200);
    expect(stale.text).toContain("Os valores mudaram desde a revisão");
    expect(await agreementsOf(world.customerId)).toEqual([]);

    // the confirmation repeats the session's CSRF token
    const forged = await visitor.post("/portal/negociar/confirmar", {
      ...hiddenFields(review.text),
      csrf: "forjado",
    });
    expect(forged.status).toBe(403);
    expect(await agreementsOf(world.customerId)).toEqual([]);

    const confirmed = await visitor.post("/portal/negociar/confirmar", hiddenFields(review.text));
    expect(confirmed.status).toBe(303);
    const made = await agreementsOf(world.customerId);
    expect(made.length).toBe(1);
    expect(Number(made[0]!.total_cents)).toBe(205_97);
    expect(confirmed.headers.get("location")).toBe(`/portal/acordos/${made[0]!.id}?novo=1`);
    // a second submission (a double tap, the back button) makes nothing more
    const again = await visitor.post("/portal/negociar/confirmar", hiddenFields(review.text));
    expect(again.status).not.toBe(303);
    expect((await agreementsOf(world.customerId)).length).toBe(1);
  });

  it("an opt-out: the review names the channel and contact, and only the confirmation stops it", async () => {
    const { world, visitor } = await signedIn();
    const csrf = hiddenFields((await visitor.get("/portal/preferencias")).text).csrf!;
    const optedOut = () =>
      handle.db
        .selectFrom("contacts")
        .select("opted_out_at")
        .where("customer_id", "=", world.customerId)
        .where("channel", "=", "sms")
        .executeTakeFirstOrThrow();
    const review = await visitor.post("/portal/preferencias", { csrf, channel: "sms", receive: "no" });
    expect(review.status).toBe(200);
    expect(review.text).toContain("Confirme o descadastro");
    expect(review.text).toContain(
      "Você deixará de receber lembretes de cobrança por Celular (SMS) (+55 11 9****-4321)",
    );
    expect(review.text).toContain('href="/portal/preferencias"');
    expect((await optedOut()).opted_out_at).toBeNull();

    const forged = await visitor.post("/portal/preferencias/confirmar", {
      ...hiddenFields(review.text),
      csrf: "forjado",
    });
    expect(forged.status).toBe(403);
    expect((await optedOut()).opted_out_at).toBeNull();

    const confirmed = await visitor.post("/portal/preferencias/confirmar", hiddenFields(review.text));
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain("você não receberá mais mensagens por Celular (SMS)");
    expect((await optedOut()).opted_out_at).not.toBeNull();
    // resuming is at once
    const resumed = await visitor.post("/portal/preferencias", { csrf, channel: "sms", receive: "yes" });
    expect(resumed.text).toContain("você voltará a receber mensagens por Celular (SMS)");
    expect((await optedOut()).opted_out_at).toBeNull();
  });

  it("a contact change: the review shows the new contact and the one it replaces; no code is sent before", async () => {
    const { world, visitor } = await signedIn();
    const contacts = await visitor.get("/portal/contato");
    expect(contacts.text).toContain('action="/portal/contato/revisar"');
    const csrf = hiddenFields(contacts.text).csrf!;
    const codes = () =>
      handle.db
        .selectFrom("portal_contact_codes")
        .select("id")
        .where("customer_id", "=", world.customerId)
        .execute();

    const invalid = await visitor.post("/portal/contato/revisar", {
      csrf,
      channel: "email",
      value: "mariana@",
    });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('id="novo-email-erro"');

    const review = await visitor.post("/portal/contato/revisar", {
      csrf,
      channel: "email",
      value: " mariana.nova@example.com ",
    });
    expect(review.status).toBe(200);
    expect(review.text).toContain("Novo e-mail: mariana.nova@example.com");
    expect(review.text).toContain("ele substitui ma***@example.com");
    expect(review.text).toContain('href="/portal/contato"');
    expect(await codes()).toEqual([]);

    const sent = await visitor.post("/portal/contato", hiddenFields(review.text));
    expect(sent.status).toBe(200);
    expect(sent.text).toContain("Enviamos um código de 6 dígitos para ma***@example.com");
    expect((await codes()).length).toBe(1);
  });
});
