import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealPlaintextSecrets } from "../../src/db/seal-secrets.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { metaSignature } from "../../src/modules/messages/message.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { loadSecretKey, openSecret, SECRET_KEY_FILE, sealSecret } from "../../src/shared/secret-box.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertDebtor, insertPlannedActions } from "../support/message-fixtures.ts";
import { type HttpPeer, startHttpPeer } from "../support/message-peers.ts";

const morning = new Date("2026-11-23T13:00:00Z");
const clock = new FixedClock(morning);
let api: ApiTest<{ id: string; slug: string }>;
const window = { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") };

const SECRETS = {
  smtpPassword: "smtp-Pa55-Kx9Q-secreta",
  smsToken: "zenvia-token-7f3a9b2c4d5e6f70",
  smsCallbackToken: "zenvia-callback-0a1b2c3d4e5f",
  whatsappToken: "EAAG-whatsapp-token-99887766",
  whatsappAppSecret: "meta-app-secret-5544332211",
  whatsappVerifyToken: "verify-me-please-1234",
};

let provider: HttpPeer;
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  provider = await startHttpPeer();
  api = await startApiTest(clock, (handle) => insertTestTenant(handle.db));
  admin = await api.operator("admin");
});
afterAll(async () => {
  await api?.close();
  await provider?.close();
});

async function settingsRow() {
  return api.handle.db
    .selectFrom("messaging_settings")
    .selectAll()
    .where("tenant_id", "=", api.tenant.id)
    .executeTakeFirstOrThrow();
}

describe("provider credentials at rest", () => {
  it("are stored sealed, shown only as •••• and the last 4, and carry the messages", async () => {
    const saved = await api.call(admin, "PATCH", "/v1/settings/messaging", {
      body: {
        emailFrom: "Credora <cobranca@credora.com.br>",
        smtpUrl: `smtp://cobranca:${SECRETS.smtpPassword}@smtp.credora.com.br:587`,
        smsProvider: "zenvia",
        smsBaseUrl: provider.url,
        smsToken: SECRETS.smsToken,
        smsCallbackToken: SECRETS.smsCallbackToken,
        smsFrom: "credora",
        whatsappBaseUrl: provider.url,
        whatsappPhoneNumberId: "1234567890",
        whatsappToken: SECRETS.whatsappToken,
        whatsappAppSecret: SECRETS.whatsappAppSecret,
        whatsappVerifyToken: SECRETS.whatsappVerifyToken,
      },
    });
    expect(saved.status).toBe(200);
    const read = await api.call(admin, "GET", "/v1/settings/messaging");
    for (const response of [saved, read]) {
      for (const secret of Object.values(SECRETS)) expect(response.text).not.toContain(secret);
    }
    expect(read.body).toMatchObject({
      smtpUrl: "smtp://cobranca:••••reta@smtp.credora.com.br:587",
      smsToken: "••••6f70",
      smsCallbackToken: "••••4e5f",
      whatsappToken: "••••7766",
      whatsappAppSecret: "••••2211",
      whatsappVerifyToken: "••••1234",
      smsFrom: "credora",
      callbackUrls: {
        zenvia: expect.stringContaining(`/v1/providers/zenvia/callbacks?tenant=${api.tenant.slug}`),
        whatsapp: expect.stringContaining(`/v1/providers/whatsapp/callbacks?tenant=${api.tenant.slug}`),
      },
    });

    const row = await settingsRow();
    const stored = JSON.stringify(row);
    for (const secret of Object.values(SECRETS)) expect(stored).not.toContain(secret);
    expect(row.sms_token).toMatch(/^enc:v1:/);
    expect(openSecret(row.sms_token!)).toBe(SECRETS.smsToken);

    // the SMS goes out with the real token although the database only holds the sealed one
    const debtor = await insertDebtor(api.handle.db, api.tenant.id, {
      name: "Rita Souza",
      phone: "+5511955550001",
      invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
    });
    await insertPlannedActions(
      api.handle.db,
      api.tenant.id,
      debtor,
      { name: "D+6", offsetDays: 6, channel: "sms", template: "sms.d+6" },
      window,
    );
    const dispatcher = new Dispatcher(api.handle.db, { clock, tenantId: api.tenant.id, smtpUrl: null });
    expect(await dispatcher.drain()).toMatchObject({ sent: 1 });
    await dispatcher.close();
    const sms = provider.requests.find((request) => request.path === "/v2/channels/sms/messages");
    expect(sms?.headers["x-api-token"]).toBe(SECRETS.smsToken);
  });

  it("never echo a refused credential in the error", async () => {
    const refused = await api.call(admin, "PATCH", "/v1/settings/messaging", {
      body: { smtpUrl: `ftp://cobranca:${SECRETS.smtpPassword}@smtp.credora.com.br` },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe("smtpUrl");
    expect(refused.text).not.toContain(SECRETS.smtpPassword);
  });

  it("are for admins only: an API key cannot read them", async () => {
    expect((await api.call(api.key, "GET", "/v1/settings/messaging")).status).toBe(403);
  });

  it("written before sealing are sealed at start, once, and read the same", async () => {
    const other = await insertTestTenant(api.handle.db);
    await api.handle.db
      .insertInto("messaging_settings")
      .values({ tenant_id: other.id, sms_provider: "twilio", sms_token: "legacy-plain-token" })
      .execute();
    await api.handle.db
      .insertInto("payment_gateways")
      .values({ tenant_id: other.id, provider: "pagbank", secret: "gwsec_legacy-plain" })
      .execute();
    await api.handle.db
      .insertInto("webhook_endpoints")
      .values({ tenant_id: other.id, url: "https://erp.example.com/hook", secret: "whsec_legacy-plain" })
      .execute();
    expect(await sealPlaintextSecrets(api.handle.db)).toBe(3);
    expect(await sealPlaintextSecrets(api.handle.db)).toBe(0);
    const settings = await api.handle.db
      .selectFrom("messaging_settings")
      .select("sms_token")
      .where("tenant_id", "=", other.id)
      .executeTakeFirstOrThrow();
    const gateway = await api.handle.db
      .selectFrom("payment_gateways")
      .select("secret")
      .where("tenant_id", "=", other.id)
      .executeTakeFirstOrThrow();
    const endpoint = await api.handle.db
      .selectFrom("webhook_endpoints")
      .select("secret")
      .where("tenant_id", "=", other.id)
      .executeTakeFirstOrThrow();
    expect(settings.sms_token).toMatch(/^enc:v1:/);
    expect(openSecret(settings.sms_token!)).toBe("legacy-plain-token");
    expect(openSecret(gateway.secret)).toBe("gwsec_legacy-plain");
    expect(openSecret(endpoint.secret)).toBe("whsec_legacy-plain");
  });
});

describe("the key", () => {
  it("embedded: generated once into the data folder, readable by its owner only", () => {
    const folder = mkdtempSync(join(tmpdir(), "regua-key-"));
    try {
      const first = loadSecretKey({ REGUA_DATA_DIR: folder });
      expect(first.length).toBe(32);
      expect(statSync(join(folder, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ REGUA_DATA_DIR: folder }).equals(first)).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("npm start on PostgreSQL without REGUA_SECRET_KEY stops at once, saying how to fix it", async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: "postgres://regua@127.0.0.1:1/regua",
        PORT: "0",
      };
      delete env.REGUA_SECRET_KEY;
      execFile(process.execPath, ["src/main.ts", "--no-demo"], { env }, (error, _stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^erro: REGUA_SECRET_KEY é obrigatória com PostgreSQL/);
  });

  it("PostgreSQL without REGUA_SECRET_KEY is refused with the fix; a malformed key too", () => {
    expect(() => loadSecretKey({ DATABASE_URL: "postgres://db/regua" })).toThrow(
      /REGUA_SECRET_KEY é obrigatória com PostgreSQL.*openssl rand -base64 32/,
    );
    expect(() => loadSecretKey({ REGUA_SECRET_KEY: "curta" })).toThrow(/32 bytes em base64/);
    const key = randomBytes(32);
    expect(loadSecretKey({ REGUA_SECRET_KEY: key.toString("base64") }).equals(key)).toBe(true);
  });

  it("a different key cannot read a secret, and the error does not show it", () => {
    const sealed = sealSecret("o-segredo-de-verdade", randomBytes(32));
    expect(sealed).not.toContain("o-segredo");
    let message = "";
    try {
      openSecret(sealed, randomBytes(32));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/não pôde ser decifrado/);
    expect(message).not.toContain("o-segredo");
  });
});

describe("signed provider callbacks", () => {
  async function smsMessage() {
    return api.handle.db
      .selectFrom("messages")
      .select(["state", "provider_message_id", "reason"])
      .where("tenant_id", "=", api.tenant.id)
      .where("channel", "=", "sms")
      .executeTakeFirstOrThrow();
  }

  it("WhatsApp: Meta's GET handshake echoes hub.challenge only with the verify token", async () => {
    const base = `${api.server.url}/v1/providers/whatsapp/callbacks?tenant=${api.tenant.slug}&hub.mode=subscribe`;
    const good = await fetch(
      `${base}&hub.verify_token=${SECRETS.whatsappVerifyToken}&hub.challenge=1158201444`,
    );
    expect(good.status).toBe(200);
    expect(await good.text()).toBe("1158201444");
    const bad = await fetch(`${base}&hub.verify_token=wrong-token&hub.challenge=1158201444`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain("1158201444");
  });

  it("WhatsApp: unsigned or tampered webhooks get 401 and change nothing; a signed one applies", async () => {
    // a WhatsApp message of this tenant, sent through the Cloud API peer
    const debtor = await insertDebtor(api.handle.db, api.tenant.id, {
      name: "Caio Lima",
      whatsapp: { value: "+5511955550002", optIn: true },
      invoices: [{ description: "Plano", amountCents: 60_00, dueDate: "2026-11-17" }],
    });
    await insertPlannedActions(
      api.handle.db,
      api.tenant.id,
      debtor,
      { name: "D+6", offsetDays: 6, channel: "whatsapp", template: "whatsapp.d+6" },
      window,
    );
    const dispatcher = new Dispatcher(api.handle.db, { clock, tenantId: api.tenant.id, smtpUrl: null });
    expect(await dispatcher.drain()).toMatchObject({ sent: 1 });
    await dispatcher.close();
    const sent = await api.handle.db
      .selectFrom("messages")
      .select("provider_message_id")
      .where("tenant_id", "=", api.tenant.id)
      .where("channel", "=", "whatsapp")
      .executeTakeFirstOrThrow();
    const webhook = (status: string) =>
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: "WABA",
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  statuses: [{ id: sent.provider_message_id, status, recipient_id: "5511955550002" }],
                },
              },
            ],
          },
        ],
      });
    const url = `${api.server.url}/v1/providers/whatsapp/callbacks?tenant=${api.tenant.slug}`;
    const post = (body: string, signature?: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(signature ? { "x-hub-signature-256": signature } : {}),
        },
        body,
      });
    const state = async () =>
      (
        await api.handle.db
          .selectFrom("messages")
          .select("state")
          .where("tenant_id", "=", api.tenant.id)
          .where("channel", "=", "whatsapp")
          .executeTakeFirstOrThrow()
      ).state;

    expect((await post(webhook("delivered"))).status).toBe(401);
    // signed for one body, sent with another
    const tampered = await post(
      webhook("failed"),
      metaSignature(SECRETS.whatsappAppSecret, webhook("delivered")),
    );
    expect(tampered.status).toBe(401);
    expect(
      (await post(webhook("delivered"), metaSignature("another-app", webhook("delivered")))).status,
    ).toBe(401);
    expect(await state()).toBe("sent");

    const signed = await post(
      webhook("delivered"),
      metaSignature(SECRETS.whatsappAppSecret, webhook("delivered")),
    );
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ applied: 1 });
    expect(await state()).toBe("delivered");
  });

  it("Zenvia: the callback needs the tenant's X-Regua-Token; without it 401 and nothing applied", async () => {
    const sms = await smsMessage();
    const body = JSON.stringify({
      id: "evt-1",
      type: "MESSAGE_STATUS",
      channel: "sms",
      messageId: sms.provider_message_id,
      messageStatus: { timestamp: "2026-11-23T13:01:00Z", code: "DELIVERED" },
    });
    const url = `${api.server.url}/v1/providers/zenvia/callbacks?tenant=${api.tenant.slug}`;
    const post = (headers: Record<string, string>, at = url) =>
      fetch(at, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

    expect((await post({})).status).toBe(401);
    expect((await post({ "x-regua-token": "zenvia-callback-wrong" })).status).toBe(401);
    // the right token for no tenant (or through the URL without one) proves nothing
    expect(
      (
        await post(
          { "x-regua-token": SECRETS.smsCallbackToken },
          `${api.server.url}/v1/providers/zenvia/callbacks`,
        )
      ).status,
    ).toBe(401);
    expect((await smsMessage()).state).toBe("sent");

    const accepted = await post({ "x-regua-token": SECRETS.smsCallbackToken });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ applied: 1 });
    expect((await smsMessage()).state).toBe("delivered");
  });
});
