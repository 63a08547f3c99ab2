import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { jobs as text } from "../../i18n/pt-BR/jobs.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { type BatchSendResult, sendBatch } from "../messages/batch-send.ts";
import { checkLetterTemplate, planLetters, printLetters } from "../messages/bulk-letters.service.ts";
import { dispatchDue } from "../messages/dispatcher.ts";
import { runReport } from "../reports/report.service.ts";
import { reportCsv, reportFileName, reportXlsx } from "../reports/report-export.ts";
import { getTemplate } from "../templates/template.service.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  advanceBulkJob,
  customerNames,
  failBulkJob,
  findBulkJob,
  finishBulkJob,
  insertBulkJob,
  lockBulkJob,
  lockNextBulkJob,
  recordFileProgress,
} from "./bulk-job.repository.ts";
import type { BulkJobKind, BulkJobRow } from "./bulk-job.table.ts";
import {
  type BulkJobError,
  type BulkJobView,
  type TBatchSendJob,
  type TLettersJob,
  ZBatchSendJob,
  ZLettersJob,
  ZReportExportJob,
} from "./bulk-job.ts";

/** Defaults of the worker's loop (src/jobs/bulk-jobs.job.ts); tests pass smaller chunks. */
export interface BulkJobRunOptions {
  clock: Clock;
  /** customers per chunk: each chunk commits with its progress (default 25) */
  chunkSize?: number;
  /** how long a worker holds a job without renewing it (default 60 s, renewed every chunk) */
  leaseMs?: number;
  /**
   * a pause after each chunk (default none): on the embedded database one connection serves
   * every request, and a job running chunk after chunk would hold the dashboard's polls back
   */
  pauseMs?: number;
}
const DEFAULT_CHUNK = 25;
const DEFAULT_LEASE_MS = 60_000;
/** A job whose worker kept dying (or the database kept failing) is given up after this many takes. */
const MAX_ATTEMPTS = 3;
/** Letters drawn between two records of the PDF's progress. */
const PRINT_PROGRESS_EVERY = 5;

interface Creator {
  tenantId: string;
  actorId: string | null;
}

/** Letters for a selection, as a job: the template is checked now, the letters are issued by the worker. */
export async function startLettersJob(
  db: Executor,
  creator: Creator,
  input: TLettersJob,
  clock: Clock,
): Promise<BulkJobView> {
  await checkLetterTemplate(db, creator.tenantId, input.template);
  const customerIds = [...new Set(input.customerIds)];
  return startJob(db, creator, "letters", { ...input, customerIds }, customerIds.length, clock);
}

/** A batch send for a selection, as a job (count first with POST /v1/batch-sends and dryRun). */
export async function startBatchSendJob(
  db: Executor,
  creator: Creator,
  input: TBatchSendJob,
  clock: Clock,
): Promise<BulkJobView> {
  await getTemplate(db, creator.tenantId, input.template);
  const customerIds = [...new Set(input.customerIds)];
  return startJob(db, creator, "batch_send", { ...input, customerIds }, customerIds.length, clock);
}

/** A report's CSV or XLSX, made by the worker; `input` is the request as sent (validated already). */
export async function startReportExportJob(
  db: Executor,
  creator: Creator,
  input: unknown,
  clock: Clock,
): Promise<BulkJobView> {
  return startJob(db, creator, "report_export", input, 1, clock);
}

async function startJob(
  db: Executor,
  creator: Creator,
  kind: BulkJobKind,
  input: unknown,
  total: number,
  clock: Clock,
): Promise<BulkJobView> {
  const row = await insertBulkJob(db, {
    tenantId: creator.tenantId,
    kind,
    input,
    total,
    createdBy: creator.actorId,
    now: clock.now(),
  });
  return bulkJobView(db, row);
}

export async function getBulkJob(db: Executor, tenantId: string, id: string): Promise<BulkJobView> {
  const row = await findBulkJob(db, tenantId, id);
  if (!row) throw notFound("Trabalho", id);
  return bulkJobView(db, row);
}

/** The finished job's file; 409 while it is still running. */
export async function bulkJobFile(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<{ name: string; type: string; content: Buffer }> {
  const row = await findBulkJob(db, tenantId, id);
  if (!row) throw notFound("Trabalho", id);
  if (row.state !== "done" || !row.file_content || !row.file_name || !row.file_type) {
    throw new AppError(
      "conflict",
      row.state === "done"
        ? "Este trabalho não gera arquivo"
        : "O arquivo fica pronto quando o trabalho termina; acompanhe em GET /v1/jobs/{id}",
    );
  }
  return { name: row.file_name, type: row.file_type, content: row.file_content };
}

async function bulkJobView(db: Executor, row: BulkJobRow): Promise<BulkJobView> {
  const stored = (row.errors ?? []) as { customerId: string | null; message: string }[];
  const names = await customerNames(
    db,
    row.tenant_id,
    stored.flatMap((error) => (error.customerId ? [error.customerId] : [])),
  );
  const percent = row.state === "done" ? 100 : row.total === 0 ? 0 : Math.floor((100 * row.done) / row.total);
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    total: row.total,
    done: row.done,
    percent,
    file: row.file_total === null ? null : { total: row.file_total, done: row.file_done },
    errors: stored.map((error) => ({
      customerId: error.customerId,
      name: error.customerId ? (names.get(error.customerId) ?? null) : null,
      message: error.message,
    })),
    result: (row.result ?? null) as Record<string, unknown> | null,
    fileUrl: row.state === "done" && row.file_name ? `/v1/jobs/${row.id}/file` : null,
    fileName: row.file_name,
    failure: row.failure,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/**
 * Takes the next job (or one a dead worker left) and runs it to the end; false when none waits.
 * Work goes in chunks, each committed with its progress, so the dashboard sees it move and a job
 * taken over resumes after the last committed chunk. A business refusal (a template deleted
 * meanwhile) fails the job with its reason; anything else is thrown to the loop, and the job is
 * taken again once its lease runs out, up to MAX_ATTEMPTS.
 */
export async function runNextBulkJob(db: Kysely<Database>, options: BulkJobRunOptions): Promise<boolean> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const job = await lockNextBulkJob(db, options.clock.now(), leaseMs);
  if (!job) return false;
  const ref = { tenantId: job.tenant_id, id: job.id };
  if (job.attempts > MAX_ATTEMPTS) {
    await failBulkJob(db, ref, text.failed, options.clock.now());
    return true;
  }
  try {
    const tenant = await getTenant(db, job.tenant_id);
    const run = {
      db,
      tenant,
      job,
      clock: options.clock,
      leaseMs,
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
      pauseMs: options.pauseMs ?? 0,
    };
    if (job.kind === "letters") await runLetters(run);
    else if (job.kind === "batch_send") await runBatchSend(run);
    else await runReportExport(run);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await failBulkJob(db, ref, error.message, options.clock.now());
  }
  return true;
}

interface Run {
  db: Kysely<Database>;
  tenant: Tenant;
  job: BulkJobRow;
  clock: Clock;
  leaseMs: number;
  chunkSize: number;
  pauseMs: number;
}

/**
 * Runs `work` over the customers of the job a chunk at a time, each chunk in a transaction that
 * first locks the job and reads how far it got: the chunk is always the next one, never one
 * already committed. `work` answers the chunk's errors and the job's running result.
 */
async function inChunks(
  run: Run,
  customerIds: string[],
  work: (
    trx: Executor,
    chunk: string[],
    result: unknown,
  ) => Promise<{ errors: BulkJobError[]; result: unknown }>,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  for (;;) {
    const more = await run.db.transaction().execute(async (trx) => {
      const job = await lockBulkJob(trx, run.job.tenant_id, run.job.id);
      if (job?.state !== "running" || job.done >= customerIds.length) return false;
      const chunk = customerIds.slice(job.done, job.done + run.chunkSize);
      const outcome = await work(trx, chunk, job.result);
      await advanceBulkJob(
        trx,
        { tenantId: job.tenant_id, id: job.id },
        {
          items: chunk.length,
          errors: outcome.errors,
          result: outcome.result,
          now: run.clock.now(),
          leaseMs: run.leaseMs,
        },
      );
      return true;
    });
    if (!more) return;
    await afterChunk?.();
    if (run.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, run.pauseMs));
  }
}

/** The customers of `chunk` that the batch gave no action, each with `message`. */
async function customersLeftOut(
  trx: Executor,
  tenantId: string,
  batchId: string,
  chunk: string[],
  message: string,
): Promise<BulkJobError[]> {
  const planned = await trx
    .selectFrom("dunning_actions")
    .select("customer_id")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("policy_id", "=", batchId)
    .where("customer_id", "in", chunk)
    .execute();
  const reached = new Set(planned.map((row) => row.customer_id));
  return chunk
    .filter((customerId) => !reached.has(customerId))
    .map((customerId) => ({ customerId, name: null, message }));
}

/** Letters: each chunk planned in the job's batch and issued at once; one PDF of them all at the end. */
async function runLetters(run: Run): Promise<void> {
  const input = ZLettersJob.parse(run.job.input);
  const tenantId = run.tenant.id;
  await inChunks(
    run,
    input.customerIds,
    async (trx, chunk) => {
      await planLetters(
        trx,
        run.tenant,
        { customerIds: chunk, template: input.template, batchId: run.job.id },
        run.clock,
      );
      return {
        errors: await customersLeftOut(trx, tenantId, run.job.id, chunk, text.itemErrors.noOverdueInvoice),
        result: null,
      };
    },
    // issued chunk by chunk: a job taken over after a crash issues what its predecessor planned
    async () => {
      await dispatchDue(run.db, { clock: run.clock, tenantId });
    },
  );
  const ref = { tenantId, id: run.job.id };
  const fileProgress = (done: number, total?: number) =>
    recordFileProgress(run.db, ref, {
      done,
      ...(total !== undefined ? { total } : {}),
      now: run.clock.now(),
      leaseMs: run.leaseMs,
    });
  const printed = await printLetters(run.db, run.tenant, run.job.id, run.clock, {
    onCount: (count) => fileProgress(0, count),
    // every few letters: the bar moves without a write per page
    onLetter: (drawn) => (drawn % PRINT_PROGRESS_EVERY === 0 ? fileProgress(drawn) : undefined),
  });
  const issued = new Set(printed.customerIds);
  const planned = await run.db
    .selectFrom("dunning_actions")
    .select("customer_id")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("policy_id", "=", run.job.id)
    .execute();
  const notIssued = planned
    .filter((row) => !issued.has(row.customer_id))
    .map((row) => ({ customerId: row.customer_id, name: null, message: text.itemErrors.notIssued }));
  const date = todayIn(run.tenant.timeZone, run.clock.now());
  await finishBulkJob(
    run.db,
    { tenantId, id: run.job.id },
    {
      result: { letters: printed.count },
      errors: notIssued,
      file: { name: `cartas-${date}.pdf`, type: "application/pdf", content: printed.pdf },
      now: run.clock.now(),
    },
  );
}

type BatchTotals = Pick<BatchSendResult, "customers" | "invoices" | "totalCents" | "actions"> & {
  batchId: string;
};

/** A batch send: each chunk's actions planned in the job's batch; the dispatcher sends them. */
async function runBatchSend(run: Run): Promise<void> {
  const input = ZBatchSendJob.parse(run.job.input);
  const tenantId = run.tenant.id;
  await inChunks(run, input.customerIds, async (trx, chunk, previous) => {
    const batch = await sendBatch(
      trx,
      run.tenant,
      {
        template: input.template,
        filter: input.filter,
        tag: input.tag ?? null,
        customerIds: chunk,
        dryRun: false,
        batchId: run.job.id,
      },
      run.clock,
    );
    const sum = (previous as BatchTotals | null) ?? {
      batchId: run.job.id,
      customers: 0,
      invoices: 0,
      totalCents: 0,
      actions: 0,
    };
    return {
      errors: await customersLeftOut(trx, tenantId, run.job.id, chunk, text.itemErrors.noMatchingInvoice),
      result: {
        batchId: run.job.id,
        customers: sum.customers + batch.customers,
        invoices: sum.invoices + batch.invoices,
        totalCents: sum.totalCents + batch.totalCents,
        actions: sum.actions + batch.actions,
      } satisfies BatchTotals,
    };
  });
  const done = await findBulkJob(run.db, tenantId, run.job.id);
  await finishBulkJob(
    run.db,
    { tenantId, id: run.job.id },
    { result: done?.result ?? null, now: run.clock.now() },
  );
}

/** A report export: the same table as GET /v1/reports/{name}, as its CSV or XLSX file. */
async function runReportExport(run: Run): Promise<void> {
  const input = ZReportExportJob.parse(run.job.input);
  const today = todayIn(run.tenant.timeZone, run.clock.now());
  const table = await runReport(run.db, run.tenant, input.name, input, today);
  const file =
    input.format === "csv"
      ? { type: "text/csv; charset=utf-8", content: reportCsv(table) }
      : {
          type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          content: await reportXlsx(table),
        };
  await finishBulkJob(
    run.db,
    { tenantId: run.tenant.id, id: run.job.id },
    {
      result: { rows: table.rows.length },
      file: { name: reportFileName(table, input.name, input.format), ...file },
      now: run.clock.now(),
    },
  );
}
