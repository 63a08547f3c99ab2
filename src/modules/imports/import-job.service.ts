import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { errorField, log } from "../../observability/log.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { importCsvFile } from "./import.service.ts";
import type { ImportKind, ImportReport } from "./import.ts";

/**
 * A CSV uploaded through the API becomes an import job: the billing core's `importCsvFile` runs
 * in the background (the same code as `regua import`), progress is written at most twice a second,
 * and the per-row report is kept on the job for the client to fetch.
 */
export interface ImportJob {
  id: string;
  kind: ImportKind;
  status: "running" | "succeeded" | "failed";
  dryRun: boolean;
  done: number;
  total: number;
  report: ImportReport | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const PROGRESS_INTERVAL_MS = 500;

export async function startImportJob(
  db: Kysely<Database>,
  tenant: Tenant,
  kind: ImportKind,
  csv: string,
  options: { today: string; dryRun: boolean; now: () => Date },
): Promise<{ job: ImportJob; finished: Promise<ImportJob> }> {
  const row = await db
    .insertInto("import_jobs")
    .values({
      tenant_id: tenant.id,
      kind,
      dry_run: options.dryRun,
      report: null,
      error: null,
      finished_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const job = await getImportJob(db, tenant.id, row.id);
  const finished = runJob(db, tenant, kind, csv, row.id, options).then(() =>
    getImportJob(db, tenant.id, row.id),
  );
  return { job, finished };
}

async function runJob(
  db: Kysely<Database>,
  tenant: Tenant,
  kind: ImportKind,
  csv: string,
  id: string,
  options: { today: string; dryRun: boolean; now: () => Date },
): Promise<void> {
  // importCsvFile reads a file: the upload is written to a private temporary folder first
  const folder = mkdtempSync(join(tmpdir(), "regua-import-"));
  let lastWrite = 0;
  let pending: Promise<unknown> = Promise.resolve();
  try {
    const path = join(folder, `${kind}.csv`);
    writeFileSync(path, csv, { mode: 0o600 });
    const report = await importCsvFile(db, tenant, kind, path, {
      today: options.today,
      now: options.now(),
      dryRun: options.dryRun,
      onProgress: (done, total) => {
        const at = performance.now();
        if (at - lastWrite < PROGRESS_INTERVAL_MS) return;
        lastWrite = at;
        pending = db
          .updateTable("import_jobs")
          .set({ done, total })
          .where("tenant_id", "=", tenant.id)
          .where("id", "=", id)
          .execute()
          .catch(() => {});
      },
    });
    await pending;
    await db
      .updateTable("import_jobs")
      .set({
        status: "succeeded",
        done: report.total,
        total: report.total,
        report: JSON.stringify(report),
        finished_at: options.now(),
      })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", id)
      .execute();
  } catch (error) {
    await pending;
    const message =
      error instanceof AppError ? error.message : "erro interno ao importar; veja o log do servidor";
    if (!(error instanceof AppError))
      log.error({ tenant: tenant.id, importJob: id, err: errorField(error) }, "import failed");
    await db
      .updateTable("import_jobs")
      .set({ status: "failed", error: message, finished_at: options.now() })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", id)
      .execute();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function getImportJob(db: Kysely<Database>, tenantId: string, id: string): Promise<ImportJob> {
  const row = await db
    .selectFrom("import_jobs")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("Importação", id);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    dryRun: row.dry_run,
    done: row.done,
    total: row.total,
    report: (row.report as ImportReport | null) ?? null,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
