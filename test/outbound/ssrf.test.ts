import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChannelError } from "../../src/channels/channel.ts";
import { callProvider } from "../../src/channels/http.ts";
import { deliverDueWebhooks } from "../../src/modules/webhooks/webhook.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { blockedReason, checkOutbound, type OutboundResolver } from "../../src/shared/outbound.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * A tenant must not reach the network Régua runs in through the URLs it configures: refused when
 * saved, refused again when called (DNS may have changed since), allowed only by REGUA_OUTBOUND_ALLOW.
 * The harness opens the loopback for every other test; this file closes it.
 */

const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;
let receiver: Server;
let port: number;
let received: IncomingHttpHeaders[] = [];
const harnessAllow = process.env.REGUA_OUTBOUND_ALLOW;

/** A DNS we control: every name resolves to what the test says today. */
function resolverTo(address: string): OutboundResolver {
  return async () => [{ address, family: address.includes(":") ? 6 : 4 }];
}

beforeAll(async () => {
  process.env.REGUA_OUTBOUND_ALLOW = "";
  receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received.push(request.headers);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
  api = await startApiTest(clock, apiTenant);
});

afterAll(async () => {
  process.env.REGUA_OUTBOUND_ALLOW = harnessAllow;
  await api?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

beforeEach(async () => {
  received = [];
  await api.handle.db.deleteFrom("webhook_endpoints").where("tenant_id", "=", api.tenant.id).execute();
});

describe("internal addresses", () => {
  it.each([
    ["http://127.0.0.1:8080/", "loopback"],
    ["http://2130706433/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://017700000001/", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://169.254.169.254/latest/meta-data/", "metadados"],
    ["http://[::ffff:a9fe:a9fe]/", "metadados"],
    ["http://[64:ff9b::a9fe:a9fe]/", "metadados"],
    ["http://10.1.2.3/", "privada"],
    ["http://172.20.0.1/", "privada"],
    ["http://192.168.0.10/", "privada"],
    ["http://[fd00:ec2::254]/", "privada"],
    ["http://100.64.0.1/", "CGNAT"],
    ["http://[fe80::1]/", "link-local"],
    ["http://224.0.0.1/", "multicast"],
    ["http://[ff02::1]/", "multicast"],
    ["http://0.0.0.0/", "não especificado"],
    ["http://[::]/", "não especificado"],
  ])("refuses %s (%s)", async (url, reason) => {
    await expect(checkOutbound(url, { allow: "" })).rejects.toThrow(reason);
  });

  it("refuses a name when any of its addresses is internal, and lets public addresses through", async () => {
    const twoFaced: OutboundResolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
    await expect(
      checkOutbound("https://hooks.cliente.com.br/", { resolver: twoFaced, allow: "" }),
    ).rejects.toThrow("hooks.cliente.com.br (10.0.0.7) é um endereço interno");
    expect(blockedReason("93.184.216.34")).toBeNull();
    expect(blockedReason("2606:2800:220:1:248:1893:25c8:1946")).toBeNull();
    const target = await checkOutbound("https://hooks.cliente.com.br/", {
      resolver: resolverTo("93.184.216.34"),
      allow: "",
    });
    expect(target.address.address).toBe("93.184.216.34");
  });
});

describe("at save time", () => {
  it("answers 400 beside the webhook's url field, in pt-BR, and saves nothing", async () => {
    for (const url of [
      "http://127.0.0.1:9/hooks",
      "http://2130706433/",
      "http://169.254.169.254/",
      "http://localhost/",
    ]) {
      const response = await api.call(api.key, "POST", "/v1/webhooks/endpoints", { body: { url } });
      expect(response.status, url).toBe(400);
      expect(response.body.error.field).toBe("url");
      expect(response.body.error.message).toMatch(/endereço interno/);
    }
    const list = await api.call(api.key, "GET", "/v1/webhooks/endpoints");
    expect(list.body.data ?? list.body).toHaveLength(0);
  });

  it("answers 400 beside the SMS and WhatsApp base URLs", async () => {
    const admin = await api.operator("admin");
    const sms = await api.call(admin, "PATCH", "/v1/settings/messaging", {
      body: { smsProvider: "zenvia", smsBaseUrl: "http://169.254.169.254/latest" },
    });
    expect(sms.status).toBe(400);
    expect(sms.body.error.field).toBe("smsBaseUrl");
    expect(sms.body.error.message).toMatch(/metadados da nuvem/);
    const whatsapp = await api.call(admin, "PATCH", "/v1/settings/messaging", {
      body: { whatsappBaseUrl: "http://[::ffff:10.0.0.1]:8080" },
    });
    expect(whatsapp.status).toBe(400);
    expect(whatsapp.body.error.field).toBe("whatsappBaseUrl");
    const settings = await api.call(admin, "GET", "/v1/settings/messaging");
    expect(settings.body.smsBaseUrl).toBeNull();
    expect(settings.body.whatsappBaseUrl).toBeNull();
  });
});

describe("at delivery", () => {
  let counter = 0;
  async function endpointAndEvent(host: string) {
    counter += 1;
    // a name that no DNS knows today: accepted at save time, checked again at each call
    const saved = await api.call(api.key, "POST", "/v1/webhooks/endpoints", {
      body: { url: `http://${host}:${port}/hooks`, events: ["invoice.created"] },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const customer = await api.call(api.key, "POST", "/v1/customers", {
      body: { externalId: `ssrf-${counter}`, name: `Cliente ${counter}`, document: cpf() },
    });
    const invoice = await api.call(api.key, "POST", "/v1/invoices", {
      body: {
        externalId: `ssrf-fat-${counter}`,
        customerId: customer.body.id,
        amountCents: 10_000,
        issueDate: "2026-11-01",
        dueDate: "2026-12-10",
      },
    });
    expect(invoice.status).toBe(201);
    return saved.body.endpoint?.id ?? saved.body.id;
  }

  async function lastAttemptError() {
    const row = await api.handle.db
      .selectFrom("webhook_deliveries")
      .select(["status", "last_error"])
      .where("tenant_id", "=", api.tenant.id)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    return row;
  }

  it("refuses a name that now resolves to the loopback, and posts nothing", async () => {
    await endpointAndEvent("hooks.cliente.test");
    const report = await deliverDueWebhooks(api.handle.db, clock.now(), {
      resolver: resolverTo("127.0.0.1"),
      allow: "",
    });
    expect(report.delivered).toBe(0);
    expect(received).toHaveLength(0);
    const delivery = await lastAttemptError();
    expect(delivery.status).toBe("pending");
    expect(delivery.last_error).toMatch(
      /endereço recusado: hooks\.cliente\.test \(127\.0\.0\.1\) é um endereço interno/,
    );
  });

  it("delivers to the checked address when the allow-list opens it, by range or by name", async () => {
    await endpointAndEvent("hooks.rede-interna.test");
    const byRange = await deliverDueWebhooks(api.handle.db, clock.now(), {
      resolver: resolverTo("127.0.0.1"),
      allow: "127.0.0.1/32",
    });
    expect(byRange.delivered).toBe(1);
    // the name was never in any DNS: the connection went to the address the guard checked
    expect(received.map((headers) => headers.host)).toEqual([`hooks.rede-interna.test:${port}`]);

    await api.handle.db.deleteFrom("webhook_endpoints").where("tenant_id", "=", api.tenant.id).execute();
    await endpointAndEvent("hooks.rede-interna.test");
    const byName = await deliverDueWebhooks(api.handle.db, clock.now(), {
      resolver: resolverTo("127.0.0.1"),
      allow: "hooks.rede-interna.test",
    });
    expect(byName.delivered).toBe(1);
    expect(received).toHaveLength(2);
  });

  it("fails an SMS provider call whose host now resolves to a private address, without retries", async () => {
    const sending = callProvider(
      `http://sms.provedor.test:${port}/v2/channels/sms/messages`,
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
      { resolver: resolverTo("10.20.30.40"), allow: "" },
    );
    await expect(sending).rejects.toBeInstanceOf(ChannelError);
    await expect(sending).rejects.toMatchObject({ kind: "permanent" });
    await expect(sending).rejects.toThrow(/endereço do provedor recusado.*rede privada/);
    expect(received).toHaveLength(0);
  });
});
