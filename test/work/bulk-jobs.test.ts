import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../src/i18n/pt-BR/jobs.ts";
import { lockNextBulkJob } from "../../src/modules/bulk-jobs/bulk-job.repository.ts";
import { runNextBulkJob } from "../../src/modules/bulk-jobs/bulk-job.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { apiKeyFor, type Caller } from "../support/http.ts";
import { insertDebtor } from "../support/message-fixtures.ts";

/**
 * Letters, batch sends and report exports as background jobs over real HTTP: a job recorded with
 * its total, run by the worker's loop in chunks, its progress, left-out customers and file read
 * back; one job per Idempotency-Key however often the click arrives; "select all N" by the filter.
 */
// Monday 2026-11-23, 12:00 in São Paulo: inside the legal contact hours
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let analyst: Caller & { operatorId: string };
const overdue: string[] = [];
let upToDate: string;

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  analyst = await api.operator("analyst");
  for (const name of ["Alice Atraso", "Bruno Boleto", "Carla Cobrança", "Davi Devedor", "Elisa Em Aberto"]) {
    const debtor = await insertDebtor(api.handle.db, api.tenant.id, {
      name,
      phone: "+5511911112222",
      invoices: [{ description: "Mensalidade outubro", amountCents: 120_00, dueDate: "2026-10-20" }],
    });
    overdue.push(debtor.customerId);
  }
  upToDate = (
    await insertDebtor(api.handle.db, api.tenant.id, {
      name: "Fábio Em Dia",
      phone: "+5511933334444",
      invoices: [{ description: "Mensalidade dezembro", amountCents: 80_00, dueDate: "2026-12-10" }],
    })
  ).customerId;
});

afterAll(async () => {
  await api?.close();
});

/** What the worker's loop does: every waiting job to its end, in chunks of two customers. */
async function runWaitingJobs(): Promise<number> {
  let ran = 0;
  while (await runNextBulkJob(api.handle.db, { clock, chunkSize: 2 })) ran += 1;
  return ran;
}

describe("bulk jobs", () => {
  it("issues letters as a job: queued with its total, run in chunks, one PDF, the customer without overdue named", async () => {
    const customerIds = [...overdue, upToDate];
    const created = await api.call(analyst, "POST", "/v1/jobs/letters", {
      body: { customerIds },
      headers: { "idempotency-key": "cartas-clique-1" },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body).toMatchObject({ kind: "letters", state: "queued", total: 6, done: 0, percent: 0 });
    const id = created.body.id as string;
    // nothing issued before the worker runs it; the file is not there yet
    expect((await api.call(analyst, "GET", `/v1/jobs/${id}/file`)).status).toBe(409);

    expect(await runWaitingJobs()).toBe(1);
    const job = await api.call(analyst, "GET", `/v1/jobs/${id}`);
    expect(job.status, job.text).toBe(200);
    expect(job.body).toMatchObject({
      state: "done",
      total: 6,
      done: 6,
      percent: 100,
      result: { letters: 5 },
      errors: [{ customerId: upToDate, name: "Fábio Em Dia", message: jobs.itemErrors.noOverdueInvoice }],
      fileUrl: `/v1/jobs/${id}/file`,
      fileName: "cartas-2026-11-23.pdf",
    });
    const file = await api.call(analyst, "GET", `/v1/jobs/${id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.text.startsWith("%PDF")).toBe(true);

    // each letter is on file as sent, once: three chunks made one batch
    const letters = await api.handle.db
      .selectFrom("messages")
      .select(["customer_id"])
      .where("tenant_id", "=", api.tenant.id)
      .where("channel", "=", "letter")
      .where("state", "=", "sent")
      .execute();
    expect(letters.map((letter) => letter.customer_id).sort()).toEqual([...overdue].sort());
  });

  it("makes one job of a click sent twice with one Idempotency-Key; a new key is a new job", async () => {
    const body = { customerIds: overdue.slice(0, 2), template: "sms.d+6", filter: "overdue" };
    const first = await api.call(analyst, "POST", "/v1/jobs/batch-sends", {
      body,
      headers: { "idempotency-key": "envio-clique-7" },
    });
    expect(first.status, first.text).toBe(202);
    const again = await api.call(analyst, "POST", "/v1/jobs/batch-sends", {
      body,
      headers: { "idempotency-key": "envio-clique-7" },
    });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    // the same key for another selection is refused, naming the header
    const other = await api.call(analyst, "POST", "/v1/jobs/batch-sends", {
      body: { ...body, customerIds: overdue.slice(2) },
      headers: { "idempotency-key": "envio-clique-7" },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.field).toBe("Idempotency-Key");

    expect(await runWaitingJobs()).toBe(1);
    const job = await api.call(analyst, "GET", `/v1/jobs/${first.body.id}`);
    expect(job.body).toMatchObject({
      kind: "batch_send",
      state: "done",
      percent: 100,
      result: { batchId: first.body.id, customers: 2, invoices: 2, actions: 2, totalCents: 240_00 },
      errors: [],
      fileUrl: null,
    });
    const actions = await api.handle.db
      .selectFrom("dunning_actions")
      .select(["customer_id", "channel"])
      .where("tenant_id", "=", api.tenant.id)
      .where("policy_id", "=", first.body.id)
      .execute();
    expect(actions).toHaveLength(2);
    expect(actions.every((action) => action.channel === "sms")).toBe(true);

    const second = await api.call(analyst, "POST", "/v1/jobs/batch-sends", {
      body,
      headers: { "idempotency-key": "envio-clique-8" },
    });
    expect(second.body.id).not.toBe(first.body.id);
    await runWaitingJobs();
  });

  it("exports a report as a job and hands its file over", async () => {
    const created = await api.call(analyst, "POST", "/v1/jobs/report-exports", {
      body: { name: "oldest", format: "csv" },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body).toMatchObject({ kind: "report_export", total: 1 });
    await runWaitingJobs();
    const job = await api.call(analyst, "GET", `/v1/jobs/${created.body.id}`);
    expect(job.body).toMatchObject({ state: "done", done: 1, percent: 100 });
    expect(job.body.fileName).toMatch(/^relatorio-.*\.csv$/);
    const file = await api.call(analyst, "GET", job.body.fileUrl);
    expect(file.headers.get("content-type")).toContain("text/csv");
    // the same table as GET /v1/reports/oldest?format=csv
    const direct = await api.call(analyst, "GET", "/v1/reports/oldest?format=csv");
    expect(file.text).toBe(direct.text);
  });

  it("refuses bad input naming the field, and hides other tenants' jobs", async () => {
    const sms = await api.call(analyst, "POST", "/v1/jobs/letters", {
      body: { customerIds: overdue, template: "sms.d+6" },
    });
    expect(sms.status).toBe(400);
    expect(sms.body.error.field).toBe("template");
    const none = await api.call(analyst, "POST", "/v1/jobs/letters", { body: { customerIds: [] } });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain("escolha ao menos um cliente");
    const report = await api.call(analyst, "POST", "/v1/jobs/report-exports", {
      body: { name: "summary", format: "pdf" },
    });
    expect(report.status).toBe(400);
    expect(report.body.error.message).toContain("csv ou xlsx");
    const stray = await api.call(analyst, "POST", "/v1/jobs/report-exports", {
      body: { name: "summary", notes: "x".repeat(1000) },
    });
    expect(stray.status).toBe(400);

    const viewer = await api.operator("viewer");
    expect(
      (await api.call(viewer, "POST", "/v1/jobs/letters", { body: { customerIds: overdue } })).status,
    ).toBe(403);

    const created = await api.call(analyst, "POST", "/v1/jobs/letters", { body: { customerIds: overdue } });
    const stranger = await apiTenant(api.handle);
    const strangerKey = await apiKeyFor(api.handle, stranger.id, "read");
    expect((await api.call(strangerKey, "GET", `/v1/jobs/${created.body.id}`)).status).toBe(404);
    expect((await api.call(analyst, "GET", "/v1/jobs/not-an-id")).status).toBe(404);
    await runWaitingJobs();
  });

  it("resolves the list's filter to every matching customer, not a page", async () => {
    const all = await api.call(analyst, "GET", "/v1/customer-overview/selection?minDaysOverdue=1");
    expect(all.status, all.text).toBe(200);
    expect(all.body).toMatchObject({ count: 5, more: false });
    expect([...all.body.customerIds].sort()).toEqual([...overdue].sort());
    // a page of two shows two; the selection still takes all five
    const page = await api.call(analyst, "GET", "/v1/customer-overview?minDaysOverdue=1&limit=2");
    expect(page.body.data).toHaveLength(2);
    const searched = await api.call(analyst, "GET", "/v1/customer-overview/selection?search=fabio");
    expect(searched.body).toMatchObject({ count: 1, customerIds: [upToDate] });
    const bad = await api.call(analyst, "GET", "/v1/customer-overview/selection?standing=late");
    expect(bad.status).toBe(400);
  });

  it("takes over a job whose worker died once its lease runs out, and gives up after three takes", async () => {
    const created = await api.call(analyst, "POST", "/v1/jobs/letters", { body: { customerIds: overdue } });
    const id = created.body.id as string;
    // a worker claims it and dies: while its lease lives, nobody else takes the job
    expect((await lockNextBulkJob(api.handle.db, clock.now(), 60_000))?.id).toBe(id);
    expect(await runNextBulkJob(api.handle.db, { clock })).toBe(false);
    const later = new FixedClock("2026-11-23T15:02:00Z");
    expect(await runNextBulkJob(api.handle.db, { clock: later, chunkSize: 2 })).toBe(true);
    const job = await api.call(analyst, "GET", `/v1/jobs/${id}`);
    expect(job.body).toMatchObject({ state: "done", done: 5, result: { letters: 5 } });
    const letters = await api.handle.db
      .selectFrom("messages")
      .select("customer_id")
      .where("tenant_id", "=", api.tenant.id)
      .where("group_key", "like", `batch:${id}:%`)
      .execute();
    expect(letters).toHaveLength(5);

    // a job that kills its worker every time is failed with a reason on the fourth take
    const doomed = await api.call(analyst, "POST", "/v1/jobs/letters", { body: { customerIds: overdue } });
    for (const minute of ["10", "12", "14"]) {
      const at = new Date(`2026-11-23T15:${minute}:00Z`);
      expect((await lockNextBulkJob(api.handle.db, at, 60_000))?.id).toBe(doomed.body.id);
    }
    expect(await runNextBulkJob(api.handle.db, { clock: new FixedClock("2026-11-23T15:16:00Z") })).toBe(true);
    const failed = await api.call(analyst, "GET", `/v1/jobs/${doomed.body.id}`);
    expect(failed.body).toMatchObject({ state: "failed", failure: jobs.failed, fileUrl: null });
    expect((await api.call(analyst, "GET", `/v1/jobs/${doomed.body.id}/file`)).status).toBe(409);
  });
});
