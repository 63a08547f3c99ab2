import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBrazilianAmount } from "../../src/domain/money.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { mintLinkPath, Visitor } from "../portal/portal-support.ts";
import { tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { type PortfolioCustomer, randomPortfolio, seeded } from "./random-portfolio.ts";

/**
 * The cross-surface invariant: over a random portfolio (partial payments, agreements proposed,
 * active, broken, completed and cancelled, pauses, disputes, reopenings, invoices due later), for
 * every customer the amount owed today and the standing are the same on the API, the portal page,
 * the customer view, the login banner, the letter, the e-mail and the agency export.
 */
const TODAY = "2026-11-23";
const clock = new FixedClock(`${TODAY}T15:00:00Z`);
let test: ApiTest<Tenant>;
let portfolio: PortfolioCustomer[];

beforeAll(async () => {
  test = await startApiTest(clock, (handle) => tenantWithDefaultRegua(handle.db));
  portfolio = await randomPortfolio(test.handle.db, test.tenant, seeded(4242), TODAY, 16);
}, 300_000);
afterAll(async () => {
  await test?.close();
});

/** "R$ 1.234,56" in a text, after a label, as cents (0 when the label is absent). */
function amountAfter(text: string, label: string): number | null {
  const at = text.indexOf(label);
  if (at < 0) return null;
  const match = /R\$\s?[\d.]+,\d{2}/.exec(text.slice(at + label.length));
  return match ? parseBrazilianAmount(match[0]) : null;
}

async function ok<T = Record<string, unknown>>(
  result: Promise<{ status: number; body: unknown; text: string }>,
  status = 200,
): Promise<T> {
  const response = await result;
  expect(response.status, response.text).toBe(status);
  return response.body as T;
}

describe("one amount and one standing on every surface", () => {
  it("API, portal, customer view, banner, letter, e-mail and export agree for every customer", async () => {
    const { call, key } = test;
    const group = await ok<{ id: string }>(
      call(key, "POST", "/v1/groups", { body: { name: "Assessoria", purpose: "agency" } }),
      201,
    );
    await ok(
      call(key, "POST", `/v1/groups/${group.id}/members`, {
        body: { customerIds: portfolio.map((customer) => customer.id) },
      }),
    );
    const exported = await call(key, "GET", `/v1/groups/${group.id}/export`);
    expect(exported.status).toBe(200);
    const exportRows = exported.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(";"));
    const exportedCents = (externalId: string) =>
      exportRows
        .filter((row) => row[0] === externalId && row[10])
        .reduce((sum, row) => sum + Math.round(Number(row[10]!.replace(",", ".")) * 100), 0);

    const seen = new Set<string>();
    for (const customer of portfolio) {
      const label = `${customer.id} (${customer.agreement})`;
      const api = await ok<{
        status: string;
        amountDueCents: number;
        overdueCents: number;
        pending: { totalDueCents: number }[];
      }>(call(key, "GET", `/v1/customers/${customer.id}/standing`));
      const owed = api.pending.reduce((sum, invoice) => sum + invoice.totalDueCents, 0);
      seen.add(api.status);

      const view = await ok<{
        customer: { externalId: string };
        standing: { standing: string } | null;
        badges: { totalDueTodayCents: number };
      }>(call(key, "GET", `/v1/customers/${customer.id}/overview`));
      expect({
        label,
        owed: view.badges.totalDueTodayCents,
        standing: view.standing?.standing ?? "ok",
      }).toEqual({
        label,
        owed,
        standing: api.status,
      });
      expect(api.amountDueCents, label).toBe(owed);

      const { token } = await ok<{ token: string }>(
        call(key, "POST", `/v1/customers/${customer.id}/standing-token`, { body: {} }),
        201,
      );
      const banner = await ok<{ status: string; pending: { totalDueCents: number }[] }>(
        call(null, "GET", `/embed/standing?token=${encodeURIComponent(token)}`),
      );
      expect({
        label,
        owed: banner.pending.reduce((sum, invoice) => sum + invoice.totalDueCents, 0),
        standing: banner.status,
      }).toEqual({
        label,
        owed,
        standing: api.status,
      });

      const visitor = new Visitor(test.server);
      await visitor.enter(await mintLinkPath(call, key, customer.id), "39053");
      const home = await visitor.get("/portal");
      expect(home.status, label).toBe(200);
      const portalOwed = amountAfter(home.text, "Total em aberto hoje") ?? 0;
      const blocked = home.text.includes('class="alert"');
      expect({ label, owed: portalOwed, blocked }).toEqual({
        label,
        owed,
        blocked: api.status === "suspended" || api.status === "cancelled",
      });

      for (const name of ["letter.d+15", "email.d+6"]) {
        const preview = await call(key, "POST", "/v1/templates/preview", {
          body: { name, customerId: customer.id },
        });
        if (owed === 0) {
          // nothing owed: there is nothing to write about
          expect(preview.status, `${label} ${name}`).toBe(400);
          continue;
        }
        expect(preview.status, preview.text).toBe(200);
        const text = (preview.body as { rendered: { text: string } }).rendered.text;
        const stated = amountAfter(
          text,
          name === "letter.d+15" ? "Total atualizado:" : "com multa e juros, é",
        );
        expect({ label, name, stated }).toEqual({ label, name, stated: owed });
      }

      // the agency gets the overdue part of the same debt, line by line
      expect({ label, exported: exportedCents(view.customer.externalId) }).toEqual({
        label,
        exported: api.overdueCents,
      });
    }
    // the portfolio exercised more than one standing
    expect(seen.size).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
