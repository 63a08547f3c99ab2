import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import {
  metaSignature,
  parseDeliveryReports,
  twilioSignature,
} from "../../src/modules/messages/message.service.ts";
import { readPortalLink } from "../../src/modules/portal/portal-link.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { sealSecret } from "../../src/shared/secret-box.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { insertDebtor, insertPlannedActions } from "../support/message-fixtures.ts";
import { type HttpPeer, startHttpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let server: TestServer;
let provider: HttpPeer;
let tenantId: string;
let tenantSlug: string;
const morning = new Date("2026-11-23T13:00:00Z");
const clock = new FixedClock(morning);
const window = { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") };

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  provider = await startHttpPeer();
  const tenant = await insertTestTenant(handle.db);
  tenantId = tenant.id;
  tenantSlug = tenant.slug;
  await handle.db
    .insertInto("messaging_settings")
    .values({
      tenant_id: tenantId,
      sms_provider: "twilio",
      sms_base_url: provider.url,
      sms_account: "AC9",
      sms_token: "twilio-secret",
      sms_from: "+15005550006",
      whatsapp_base_url: provider.url,
      whatsapp_phone_number_id: "77",
      whatsapp_token: "wa",
      whatsapp_app_secret: sealSecret("meta-app-secret"),
    })
    .execute();
  const debtor = await insertDebtor(handle.db, tenantId, {
    name: "Helena Prado",
    email: "helena@example.com",
    phone: "+5511955556666",
    whatsapp: { value: "+5511955556666", optIn: true },
    invoices: [{ description: "Plano", amountCents: 70_00, dueDate: "2026-11-17" }],
  });
  for (const channel of ["email", "sms", "whatsapp"] as const) {
    await insertPlannedActions(
      handle.db,
      tenantId,
      debtor,
      { name: "D+6", offsetDays: 6, channel, template: `${channel}.d+6` },
      window,
    );
  }
  const worker = new Dispatcher(handle.db, { clock, tenantId, smtpUrl: null });
  expect(await worker.drain()).toMatchObject({ sent: 3 });
  await worker.close();
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
  await handle?.close();
});

async function message(channel: string) {
  return handle.db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("channel", "=", channel as never)
    .executeTakeFirstOrThrow();
}

/** The message's short link of a kind; with an invoice id, the one whose signed portal link opens it. */
async function linkOf(messageId: string, kind: "link" | "optout" | "open", invoiceId?: string) {
  const links = await handle.db
    .selectFrom("short_links")
    .selectAll()
    .where("message_id", "=", messageId)
    .where("kind", "=", kind)
    .execute();
  return links.find((link) => {
    if (!invoiceId) return true;
    const purpose = readPortalLink(new URL(link.url!).searchParams.get("t") ?? "")?.claims.purpose;
    return purpose?.kind === "invoice" && purpose.invoiceId === invoiceId;
  })!;
}

describe("short links", () => {
  it("count the click and redirect", async () => {
    const email = await message("email");
    const link = await linkOf(
      email.id,
      "link",
      (
        await handle.db
          .selectFrom("invoices")
          .select("id")
          .where("tenant_id", "=", tenantId)
          .executeTakeFirstOrThrow()
      ).id,
    );
    expect(email.body).toContain(`/l/${link.code}`);
    const response = await fetch(`${server.url}/l/${link.code}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(link.url);
    await fetch(`${server.url}/l/${link.code}`, { redirect: "manual" });
    const after = await handle.db
      .selectFrom("short_links")
      .select("clicks")
      .where("code", "=", link.code)
      .executeTakeFirstOrThrow();
    expect(after.clicks).toBe(2);
    expect((await message("email")).clicked_at).not.toBeNull();
    expect((await fetch(`${server.url}/l/nao-existe`)).status).toBe(404);
  });

  it("opens: the e-mail's 1×1 image records the first open, and only the instant", async () => {
    const email = await message("email");
    const image = await linkOf(email.id, "open");
    expect(image.url).toBeNull();
    const captured = await handle.db
      .selectFrom("captured_messages")
      .select(["html", "text"])
      .where("tenant_id", "=", tenantId)
      .where("message_id", "=", email.id)
      .executeTakeFirstOrThrow();
    expect(captured.html).toContain(`/o/${image.code}"`);
    expect(captured.text).not.toContain(`/o/${image.code}`);
    // no other message has an image: SMS and WhatsApp carry links only
    const images = await handle.db
      .selectFrom("short_links")
      .select("message_id")
      .where("tenant_id", "=", tenantId)
      .where("kind", "=", "open")
      .execute();
    expect(images.map((row) => row.message_id)).toEqual([email.id]);
    expect(email.opened_at).toBeNull();

    const response = await fetch(`${server.url}/o/${image.code}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(response.headers.get("cache-control")).toBe("no-store, private");
    expect(response.headers.get("set-cookie")).toBeNull();
    const gif = Buffer.from(await response.arrayBuffer());
    expect(gif.subarray(0, 6).toString("latin1")).toBe("GIF89a");
    expect([gif.readUInt16LE(6), gif.readUInt16LE(8)]).toEqual([1, 1]);
    const opened = (await message("email")).opened_at;
    expect(opened).toEqual(morning);

    // a later load keeps the first instant; the code is not a link and counts no click
    clock.set(new Date(morning.getTime() + 3_600_000));
    await fetch(`${server.url}/o/${image.code}`);
    clock.set(morning);
    expect((await message("email")).opened_at).toEqual(opened);
    expect((await fetch(`${server.url}/l/${image.code}`, { redirect: "manual" })).status).toBe(404);
    // an unknown code gets the same image and records nothing
    const unknown = await fetch(`${server.url}/o/naoexiste`);
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get("content-type")).toBe("image/gif");
  });

  it("codes route themselves to their tenant; codes issued before routing still resolve", async () => {
    const email = await message("email");
    const link = await linkOf(email.id, "link");
    const tenantRow = await handle.db
      .selectFrom("tenants")
      .select("route_number")
      .where("id", "=", tenantId)
      .executeTakeFirstOrThrow();
    const prefix = `${Number(tenantRow.route_number).toString(36)}.`;
    expect(link.code.startsWith(prefix)).toBe(true);
    // the same random part under another tenant's route, or under no tenant, names no link
    const other = await insertTestTenant(handle.db);
    const otherRoute = await handle.db
      .selectFrom("tenants")
      .select("route_number")
      .where("id", "=", other.id)
      .executeTakeFirstOrThrow();
    const random = link.code.slice(prefix.length);
    for (const code of [`${Number(otherRoute.route_number).toString(36)}.${random}`, `zzzzzzzz.${random}`]) {
      expect((await fetch(`${server.url}/l/${code}`, { redirect: "manual" })).status).toBe(404);
    }
    // a code sent before migration 0042 (no route) is found by the code alone
    await handle.db
      .insertInto("short_links")
      .values({ code: "Ab3_x-Yz", tenant_id: tenantId, message_id: email.id, kind: "link", url: link.url })
      .execute();
    const legacy = await fetch(`${server.url}/l/Ab3_x-Yz`, { redirect: "manual" });
    expect(legacy.status).toBe(302);
    expect(legacy.headers.get("location")).toBe(link.url);
  });

  it("opt-out: GET only asks, the one-click POST (RFC 8058) opts the e-mail contact out", async () => {
    const email = await message("email");
    const link = await linkOf(email.id, "optout");
    const page = await fetch(`${server.url}/l/${link.code}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirmar descadastro");
    const contact = () =>
      handle.db
        .selectFrom("contacts")
        .select("opted_out_at")
        .where("id", "=", email.contact_id!)
        .executeTakeFirstOrThrow();
    expect((await contact()).opted_out_at).toBeNull();
    const post = await fetch(`${server.url}/l/${link.code}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(post.status).toBe(200);
    expect((await contact()).opted_out_at).not.toBeNull();

    // once opted out, loading the image records nothing: Régua stops observing the contact
    await handle.db.updateTable("messages").set({ opened_at: null }).where("id", "=", email.id).execute();
    await fetch(`${server.url}/o/${(await linkOf(email.id, "open")).code}`);
    expect((await message("email")).opened_at).toBeNull();
  });
});

describe("delivery callbacks", () => {
  it("Twilio: a signed status callback marks the SMS delivered; a bad signature is refused", async () => {
    const sms = await message("sms");
    expect(sms.provider_message_id).toMatch(/^SM/);
    const params = { MessageSid: sms.provider_message_id!, MessageStatus: "delivered", AccountSid: "AC9" };
    const url = "/v1/providers/twilio/callbacks";
    const bad = await fetch(`${server.url}${url}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" },
      body: new URLSearchParams(params).toString(),
    });
    expect(bad.status).toBe(401);
    expect((await message("sms")).state).toBe("sent");
    const good = await fetch(`${server.url}${url}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature("twilio-secret", `http://localhost:3000${url}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ applied: 1 });
    const delivered = await message("sms");
    expect(delivered.state).toBe("delivered");
    expect(delivered.delivered_at).not.toBeNull();
    const action = await handle.db
      .selectFrom("dunning_actions")
      .select("status")
      .where("tenant_id", "=", tenantId)
      .where("channel", "=", "sms")
      .executeTakeFirstOrThrow();
    expect(action.status).toBe("delivered");
  });

  it("WhatsApp Cloud API statuses webhook: failed with the error", async () => {
    const whatsapp = await message("whatsapp");
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "WABA",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                statuses: [
                  {
                    id: whatsapp.provider_message_id,
                    status: "failed",
                    timestamp: "1763900000",
                    recipient_id: "5511955556666",
                    errors: [{ code: 131026, title: "Message undeliverable" }],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const response = await fetch(`${server.url}/v1/providers/whatsapp/callbacks?tenant=${tenantSlug}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": metaSignature("meta-app-secret", body),
      },
      body,
    });
    expect(await response.json()).toEqual({ applied: 1 });
    expect(await message("whatsapp")).toMatchObject({
      state: "failed",
      reason: "WhatsApp 131026 Message undeliverable",
    });
  });

  it("reads Zenvia's MESSAGE_STATUS events", () => {
    expect(
      parseDeliveryReports("zenvia", {
        type: "MESSAGE_STATUS",
        messageId: "z1",
        messageStatus: { code: "DELIVERED" },
      }),
    ).toEqual([{ providerMessageId: "z1", state: "delivered", reason: null }]);
    expect(
      parseDeliveryReports("zenvia", {
        type: "MESSAGE_STATUS",
        messageId: "z2",
        messageStatus: { code: "NOT_DELIVERED", description: "Número inexistente" },
      }),
    ).toEqual([
      { providerMessageId: "z2", state: "failed", reason: "Zenvia NOT_DELIVERED: Número inexistente" },
    ]);
  });

  it("Zenvia MESSAGE_STATUS without the tenant's callback token is refused", async () => {
    const response = await fetch(`${server.url}/v1/providers/zenvia/callbacks?tenant=${tenantSlug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "MESSAGE_STATUS",
        messageId: "unknown",
        messageStatus: { code: "DELIVERED" },
      }),
    });
    expect(response.status).toBe(401);
  });
});
