import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import type { ScoreBand } from "../../src/domain/payment-model.ts";
import { planDay } from "../../src/modules/actions/planner.ts";
import { getPolicy, savePolicy } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { AppError } from "../../src/shared/errors.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { actionsOf, addCustomer, addInvoice, tenantWithDefaultRegua } from "./regua-support.ts";

/**
 * A régua that spends on the unlikely payers only: D+3 e-mail to everyone, D+3 SMS only to invoices
 * whose probability of payment is in the low band. An invoice scored high gets the e-mail alone; one
 * scored low gets both; one not scored yet gets both (the régua never goes silent for want of a score).
 */
let handle: DatabaseHandle;
let tenant: Tenant;
const DUE = "2026-11-02";

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
  await savePolicy(handle.db, tenant.id, {
    name: "Por faixa",
    priority: 1,
    steps: [
      { name: "D+3 e-mail", offsetDays: 3, channels: ["email"], templates: { email: "email.d+6" } },
      {
        name: "D+3 SMS",
        offsetDays: 3,
        channels: ["sms"],
        templates: { sms: "sms.d+6" },
        conditions: { scoreBands: ["low"] },
      },
    ],
  });
});
afterAll(async () => {
  await handle?.close();
});

async function invoiceScored(band: ScoreBand | null): Promise<string> {
  const customer = await addCustomer(handle.db, tenant);
  const invoiceId = await addInvoice(handle.db, tenant, customer, DUE);
  if (band) {
    await handle.db
      .insertInto("invoice_scores")
      .values({
        tenant_id: tenant.id,
        invoice_id: invoiceId,
        customer_id: customer.id,
        scored_on: "2026-11-05",
        horizon_days: 30,
        probability: band === "low" ? 0.12 : 0.81,
        band,
        reasons: [],
      })
      .execute();
  }
  return invoiceId;
}

describe("a step limited to a score band", () => {
  it("D+3: the low band gets e-mail and SMS, the high band the e-mail only, the unscored both", async () => {
    const low = await invoiceScored("low");
    const high = await invoiceScored("high");
    const unscored = await invoiceScored(null);
    await planDay(handle.db, tenant, "2026-11-05");
    const channels = async (invoiceId: string) =>
      (await actionsOf(handle.db, tenant, invoiceId)).map((action) => `${action.step}/${action.channel}`);
    expect(await channels(low)).toEqual(["D+3 e-mail/email", "D+3 SMS/sms"]);
    expect(await channels(high)).toEqual(["D+3 e-mail/email"]);
    expect(await channels(unscored)).toEqual(["D+3 e-mail/email", "D+3 SMS/sms"]);
  });

  it("keeps the bands with the policy and refuses an unknown band naming the field", async () => {
    const policy = await getPolicy(handle.db, tenant.id, "Por faixa");
    expect(policy.steps.map((step) => step.conditions.scoreBands)).toEqual([[], ["low"]]);
    const refused = await savePolicy(handle.db, tenant.id, {
      name: "Faixa errada",
      steps: [
        {
          name: "D+3 SMS",
          offsetDays: 3,
          channels: ["sms"],
          templates: { sms: "sms.d+6" },
          // biome-ignore lint/suspicious/noExplicitAny: an input as a client might send it
          conditions: { scoreBands: ["baixa"] as any },
        },
      ],
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(
      "steps.0.conditions.scoreBands.0: faixa desconhecida; use low, medium, high",
    );
  });
});
