import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBrazilianAmount } from "../../src/domain/money.ts";
import { getOpenDebt } from "../../src/modules/open-debt/open-debt.service.ts";
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
    const surfaces = new Map<string, CustomerSurfaces>();
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

      const view = await ok<CustomerSurfaces["view"]>(
        call(key, "GET", `/v1/customers/${customer.id}/overview`),
      );
      surfaces.set(customer.id, { api, view });
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
    await listsAndReportsAgree(surfaces);
  }, 600_000);
});

interface CustomerSurfaces {
  api: { status: string; amountDueCents: number; overdueCents: number };
  view: {
    customer: { externalId: string; name: string };
    standing: { standing: string } | null;
    badges: { totalDueTodayCents: number; overdueInvoices: number };
    invoices: {
      externalId: string;
      daysOverdue: number;
      owed: boolean;
      amountCents: number;
      paidCents: number;
    }[];
  };
}

interface ReportBody {
  rows: Record<string, string | number | null>[];
  totals: Record<string, string | number | null> | null;
}

/**
 * The set-based readers — the customer list and the summary, oldest-first and detailed reports —
 * agree with the customer's own surfaces: the same standing word, the same overdue invoices at the
 * same balance and age, the same amount owed today.
 */
async function listsAndReportsAgree(surfaces: Map<string, CustomerSurfaces>): Promise<void> {
  const { call, key } = test;
  const listed = new Map<string, { standing: string; overdueCents: number; overdueInvoices: number }>();
  let cursor: string | null = null;
  do {
    const page: {
      data: { id: string; standing: string; overdueCents: number; overdueInvoices: number }[];
      next_cursor: string | null;
    } = await ok(
      call(
        key,
        "GET",
        `/v1/customer-overview?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      ),
    );
    for (const row of page.data) listed.set(row.id, row);
    cursor = page.next_cursor;
  } while (cursor);
  // every due date of the portfolio, installments included
  const period = "from=2025-01-01&to=2027-12-31";
  const oldest = await ok<ReportBody>(call(key, "GET", `/v1/reports/oldest?${period}`));
  const detailed = await ok<ReportBody>(call(key, "GET", `/v1/reports/detailed?${period}`));
  const summary = await ok<ReportBody>(call(key, "GET", `/v1/reports/summary?${period}`));
  const rowsOf = (report: ReportBody, name: string) => report.rows.filter((row) => row.customer === name);
  let overdueBalance = 0;
  let overdueInvoices = 0;
  for (const [id, { api, view }] of surfaces) {
    const label = `${id} (${view.customer.externalId})`;
    const home = (await getOpenDebt(test.handle.db, test.tenant, id, TODAY)).totals;
    overdueBalance += home.overdueBalanceCents;
    overdueInvoices += home.overdueInvoices;
    // the customer list: the decided standing, the overdue balance and count of the home
    const row = listed.get(id);
    expect({ label, row }).toEqual({
      label,
      row: {
        ...row,
        standing: api.status,
        overdueCents: home.overdueBalanceCents,
        overdueInvoices: view.badges.overdueInvoices,
      },
    });
    // the oldest-first report: the invoices the customer page shows overdue, at their balance and age
    const overdueLines = view.invoices
      .filter((invoice) => invoice.owed && invoice.daysOverdue > 0 && invoice.amountCents > invoice.paidCents)
      .map((invoice) => ({
        invoice: invoice.externalId,
        daysOverdue: invoice.daysOverdue,
        outstandingCents: invoice.amountCents - invoice.paidCents,
      }))
      .sort((a, b) => a.invoice.localeCompare(b.invoice));
    const reported = rowsOf(oldest, view.customer.name)
      .map((line) => ({
        invoice: line.invoice,
        daysOverdue: line.daysOverdue,
        outstandingCents: line.outstandingCents,
      }))
      .sort((a, b) => String(a.invoice).localeCompare(String(b.invoice)));
    expect({ label, reported }).toEqual({ label, reported: overdueLines });
    // the detailed report: what is still owed today adds up to the amount owed on every surface
    const balance = rowsOf(detailed, view.customer.name).reduce(
      (sum, line) => sum + Number(line.balanceCents),
      0,
    );
    expect({ label, balance }).toEqual({ label, balance: api.amountDueCents });
  }
  // the summary's overdue is the portfolio's, month by month adding up to the panel's figure
  expect({
    overdueCents: summary.totals?.overdueCents,
    overdueCount: summary.totals?.overdueCount,
  }).toEqual({ overdueCents: overdueBalance, overdueCount: overdueInvoices });
  // filtering the list by a standing gives exactly the customers every surface puts in it
  for (const standing of ["ok", "warning", "suspended", "cancelled"]) {
    const page = await ok<{ data: { id: string }[] }>(
      call(key, "GET", `/v1/customer-overview?limit=500&standing=${standing}`),
    );
    const expected = [...surfaces].filter(([, { api }]) => api.status === standing).map(([id]) => id);
    expect({ standing, ids: page.data.map((row) => row.id).sort() }).toEqual({
      standing,
      ids: expected.sort(),
    });
  }
}
