import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { createEndpoint, deliverDueWebhooks } from "../../src/modules/webhooks/webhook.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { operatorSession, startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { hiddenFields, mintLinkPath, portalWorld, Visitor } from "./portal-support.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: {
    id: string;
    type: string;
    data: { request: Record<string, unknown>; contract: { id: string; externalId: string } };
  };
}

const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: request.headers, body, event: JSON.parse(body) });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/regua`;
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** What the creditor's receiver checks: `t=…,v1=HMAC-SHA256("<t>.<raw body>")` under its secret. */
function signedBy(secret: string, delivery: Received): boolean {
  const parts = Object.fromEntries(
    String(delivery.headers["regua-signature"])
      .split(",")
      .map((part) => part.split("=", 2)),
  );
  return parts.v1 === createHmac("sha256", secret).update(`${parts.t}.${delivery.body}`).digest("hex");
}

describe("Meu plano e pagamento", () => {
  it("the debtor asks for another plan and payment method; the creditor is told by signed webhook and decides through the API", async () => {
    const world = await portalWorld(handle, server);
    const admin = await operatorSession(handle, world.tenant, "admin", clock);
    const contract = await world.call(world.key, "POST", "/v1/contracts", {
      body: { externalId: "ct-fibra-1", customerId: world.customerId, plan: "Fibra 300" },
    });
    expect(contract.status, contract.text).toBe(201);

    // the catalogue is a tenant setting, refused with the field named when wrong
    expect((await world.call(admin, "GET", "/v1/settings/plans")).body).toEqual({ plans: [] });
    const bad = await world.call(admin, "PATCH", "/v1/settings/plans", {
      body: { plans: [{ name: "Fibra 500", monthlyPriceCents: "149,90" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("plans.0.monthlyPriceCents");
    const catalogue = {
      plans: [
        { name: "Fibra 300", monthlyPriceCents: 99_90 },
        { name: "Fibra 500", monthlyPriceCents: 149_90 },
      ],
    };
    const saved = await world.call(admin, "PATCH", "/v1/settings/plans", { body: catalogue });
    expect(saved.status, saved.text).toBe(200);
    expect((await world.call(world.key, "GET", "/v1/settings/plans")).body).toEqual(catalogue);

    const { secret } = await createEndpoint(handle.db, world.tenant.id, { url: receiverUrl });
    const visitor = new Visitor(server);
    await visitor.enter(await mintLinkPath(world.call, world.key, world.customerId), "52998");
    const page = await visitor.get("/portal/plano");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Contrato ct-fibra-1");
    expect(page.text).toContain("<dd>Fibra 300</dd>");
    expect(page.text).toContain("<dd>Boleto</dd>");
    expect(page.text).toContain("Fibra 500 — R$ 149,90 por mês");
    // Pix Automático only when the creditor has a PSP (Pix settings); this one has none
    expect(page.text).toContain(">Pix</label>");
    expect(page.text).not.toContain(`value="pix_automatico"`);
    // the plan in use is not offered again
    expect(page.text).not.toContain("Fibra 300 — R$");
    const csrf = hiddenFields(page.text).csrf!;
    const requests = () =>
      handle.db
        .selectFrom("plan_change_requests")
        .select(["id", "kind", "status"])
        .where("customer_id", "=", world.customerId)
        .orderBy("requested_at")
        .execute();

    // the review says what will be asked; nothing is recorded nor announced before the confirmation
    const review = await visitor.post("/portal/plano", {
      csrf,
      contractId: contract.body.id,
      kind: "plan",
      value: "Fibra 500",
    });
    expect(review.status).toBe(200);
    expect(review.text).toContain("de Fibra 300 para Fibra 500 (R$ 149,90 por mês)");
    expect(review.text).toContain('href="/portal/plano"');
    expect(await requests()).toEqual([]);
    const unknownPlan = await visitor.post("/portal/plano", {
      csrf,
      contractId: contract.body.id,
      kind: "plan",
      value: "Plano Inventado",
    });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.text).toContain("escolha um dos planos oferecidos pelo credor");
    const forged = await visitor.post("/portal/plano/confirmar", { ...hiddenFields(review.text), csrf: "x" });
    expect(forged.status).toBe(403);
    expect(await requests()).toEqual([]);

    const sent = await visitor.post("/portal/plano/confirmar", hiddenFields(review.text));
    expect(sent.status).toBe(200);
    expect(sent.text).toContain("Pedido enviado ao credor");
    expect(sent.text).toContain("Plano Fibra 500, pedido em 23/11/2026: aguardando o credor");
    // sent twice (a double tap): one request waits, the second is refused with the reason
    const twice = await visitor.post("/portal/plano/confirmar", hiddenFields(review.text));
    expect(twice.status).toBe(409);
    expect(twice.text).toContain("Já há um pedido de troca aguardando a resposta do credor");
    expect((await requests()).length).toBe(1);

    const methodReview = await visitor.post("/portal/plano", {
      csrf,
      contractId: contract.body.id,
      kind: "payment_method",
      value: "pix",
    });
    expect(methodReview.text).toContain("de Boleto para Pix");
    await visitor.post("/portal/plano/confirmar", hiddenFields(methodReview.text));
    const [planRequest, methodRequest] = await requests();
    expect(planRequest!.kind).toBe("plan");
    expect(methodRequest!.kind).toBe("payment_method");

    // the creditor's endpoint receives both, signed
    await deliverDueWebhooks(handle.db, clock.now());
    const types = received.map((delivery) => delivery.event.type);
    expect(types).toEqual(["customer.plan_change_requested", "customer.payment_method_change_requested"]);
    expect(received.every((delivery) => signedBy(secret, delivery))).toBe(true);
    expect(received[0]!.event.data.request).toMatchObject({
      id: planRequest!.id,
      contractId: contract.body.id,
      currentValue: "Fibra 300",
      requestedValue: "Fibra 500",
      monthlyPriceCents: 149_90,
      status: "requested",
    });
    expect(received[0]!.event.data.contract.externalId).toBe("ct-fibra-1");
    expect(received[1]!.event.data.request).toMatchObject({ currentValue: "boleto", requestedValue: "pix" });

    // the customer's timeline in the dashboard shows both requests
    const timeline = await world.call(world.key, "GET", `/v1/customers/${world.customerId}/timeline`);
    const changes = timeline.body.data.filter((entry: { kind: string }) => entry.kind === "plan_change");
    expect(changes.map((entry: { data: { changeKind: string } }) => entry.data.changeKind).sort()).toEqual([
      "payment_method",
      "plan",
    ]);

    // the creditor confirms the plan (the contract moves) and declines the payment method (it stays)
    const confirmed = await world.call(
      world.key,
      "POST",
      `/v1/plan-change-requests/${planRequest!.id}/confirm`,
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.status).toBe("confirmed");
    const again = await world.call(world.key, "POST", `/v1/plan-change-requests/${planRequest!.id}/decline`);
    expect(again.status).toBe(409);
    const declined = await world.call(
      world.key,
      "POST",
      `/v1/plan-change-requests/${methodRequest!.id}/decline`,
    );
    expect(declined.body.status).toBe("declined");
    const after = await handle.db
      .selectFrom("contracts")
      .select(["plan", "payment_method"])
      .where("id", "=", contract.body.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ plan: "Fibra 500", payment_method: "boleto" });
    const listed = await world.call(
      world.key,
      "GET",
      `/v1/customers/${world.customerId}/plan-change-requests`,
    );
    expect(listed.body.data.map((request: { status: string }) => request.status)).toEqual([
      "declined",
      "confirmed",
    ]);

    const later = await visitor.get("/portal/plano");
    expect(later.text).toContain("<dd>Fibra 500</dd>");
    expect(later.text).toContain("Plano Fibra 500, pedido em 23/11/2026: confirmado");
    expect(later.text).toContain("Pagamento por Pix, pedido em 23/11/2026: recusado pelo credor");
  });
});
