import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import type { ScoreBand } from "../../src/domain/score-bands.ts";
import { planDay } from "../../src/modules/actions/planner.ts";
import { governingPolicy, loadPolicyMatcher } from "../../src/modules/policies/governing-policy.sql.ts";
import { getPolicy, listPolicies, savePolicy } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { AppError } from "../../src/shared/errors.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { actionsOf, addCustomer, addInvoice, tenantWithDefaultRegua } from "./regua-support.ts";

/**
 * A régua for the unlikely payers: "Baixa chance" (priority 1) selects the invoices whose
 * probability of payment is in the low band and calls them at D+3 (an analyst task); everything
 * else stays on the default régua. An invoice scored low is governed by "Baixa chance", one scored
 * high by the default, and one not scored yet by "Baixa chance" — the same rule as a step's
 * condition (an unscored invoice is in every band), read from one place.
 */
let handle: DatabaseHandle;
let tenant: Tenant;
let lowPolicyId: string;
const DUE = "2026-11-02";

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
  const saved = await savePolicy(handle.db, tenant.id, {
    name: "Baixa chance",
    priority: 1,
    segment: { scoreBands: ["low"] },
    steps: [
      { name: "D+3 ligação", offsetDays: 3, channels: ["task"], templates: { task: "task.negotiation" } },
    ],
  });
  lowPolicyId = saved.id;
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
        scored_on: "2026-11-04",
        horizon_days: 30,
        probability: band === "low" ? 0.1 : band === "medium" ? 0.45 : 0.85,
        band,
        reasons: [],
      })
      .execute();
  }
  return invoiceId;
}

/** The governing policy of each invoice, by the compiled matcher and by the generic SQL. */
async function governing(
  invoiceIds: string[],
): Promise<{ compiled: string[]; generic: string[]; standing: string[]; genericStanding: string[] }> {
  const matcher = await loadPolicyMatcher(handle.db, tenant.id, await listPolicies(handle.db, tenant.id));
  const read = async (expression: ReturnType<typeof governingPolicy>) => {
    const rows = await sql<{ id: string; policy_id: string }>`
      select i.id, ${expression} as policy_id
      from invoices i
      join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
      left join contracts ct on ct.tenant_id = i.tenant_id and ct.id = i.contract_id
      where i.tenant_id = ${tenant.id} and i.id = any(${invoiceIds}::uuid[])`.execute(handle.db);
    const byId = new Map(rows.rows.map((row) => [row.id, row.policy_id]));
    return invoiceIds.map((id) => byId.get(id)!);
  };
  return {
    compiled: await read(governingPolicy(matcher)),
    generic: await read(governingPolicy()),
    standing: await read(governingPolicy(matcher, { forStanding: true })),
    genericStanding: await read(governingPolicy(undefined, { forStanding: true })),
  };
}

describe("a policy segmented by score band", () => {
  it("governs the low band and the unscored; the other bands fall to the next policy", async () => {
    const low = await invoiceScored("low");
    const medium = await invoiceScored("medium");
    const high = await invoiceScored("high");
    const unscored = await invoiceScored(null);
    const defaultId = (await listPolicies(handle.db, tenant.id)).find((p) => p.id !== lowPolicyId)!.id;
    const expected = [lowPolicyId, defaultId, defaultId, lowPolicyId];
    const policies = await governing([low, medium, high, unscored]);
    expect(policies.compiled).toEqual(expected);
    expect(policies.generic).toEqual(expected);
    // a score never decides warning, suspension or cancellation: standing follows the régua without bands
    expect(policies.standing).toEqual([defaultId, defaultId, defaultId, defaultId]);
    expect(policies.genericStanding).toEqual(policies.standing);

    // D+3: the low and the unscored get the call of "Baixa chance"; the others the default régua's steps
    await planDay(handle.db, tenant, "2026-11-05");
    const steps = async (invoiceId: string) =>
      (await actionsOf(handle.db, tenant, invoiceId)).map((action) => `${action.step}/${action.channel}`);
    expect(await steps(low)).toEqual(["D+3 ligação/task"]);
    expect(await steps(unscored)).toEqual(["D+3 ligação/task"]);
    expect(await steps(high)).not.toContain("D+3 ligação/task");
    expect(await steps(medium)).not.toContain("D+3 ligação/task");
  });

  it("a rescoring moves the invoice to the other régua", async () => {
    const invoiceId = await invoiceScored("high");
    expect((await governing([invoiceId])).compiled).not.toEqual([lowPolicyId]);
    await handle.db
      .updateTable("invoice_scores")
      .set({ band: "low", probability: 0.2 })
      .where("tenant_id", "=", tenant.id)
      .where("invoice_id", "=", invoiceId)
      .execute();
    expect(await governing([invoiceId])).toMatchObject({ compiled: [lowPolicyId], generic: [lowPolicyId] });
  });

  it("keeps the segment with the policy and refuses an unknown band naming the field", async () => {
    expect((await getPolicy(handle.db, tenant.id, "Baixa chance")).segment.scoreBands).toEqual(["low"]);
    const refused = await savePolicy(handle.db, tenant.id, {
      name: "Faixa errada",
      // biome-ignore lint/suspicious/noExplicitAny: an input as a client might send it
      segment: { scoreBands: ["baixa"] as any },
      steps: [],
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(
      "segment.scoreBands.0: faixa desconhecida; use low, medium, high",
    );

    const withStanding = await savePolicy(handle.db, tenant.id, {
      name: "Baixa chance suspende antes",
      segment: { scoreBands: ["low"] },
      standing: { warningDays: 3, suspendedDays: 10, cancelledDays: 40 },
      steps: [
        { name: "D+3 ligação", offsetDays: 3, channels: ["task"], templates: { task: "task.negotiation" } },
      ],
    }).catch((error: unknown) => error);
    expect(withStanding).toBeInstanceOf(AppError);
    expect((withStanding as AppError).message).toMatch(
      /^standing: uma régua escolhida por faixa de score não decide/,
    );
  });
});
